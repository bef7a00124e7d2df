/* mkdocs-attention for Jupyter Book 2 / mystmd: ```attention fences and {attention-map}
 * directives become figures (anywidget nodes). List this file in myst.yml:
 *
 *   project:
 *     plugins:
 *       - attention.mjs
 *
 * (`mkdocs-attention myst .` writes it into the project). Once per page the plugin hands the
 * page's blocks to mkdocs-attention (`python3 -m mkdocs_attention.hosts.myst_plugin`;
 * MKDOCS_ATTENTION_PYTHON names another Python) and puts back what it answers: one anywidget
 * node per block, and an error at its line for each bad block (the block shows its error box;
 * `--strict` fails the build).
 */
import { spawnSync } from "node:child_process";

const PYTHON = process.env.MKDOCS_ATTENTION_PYTHON || "python3";
const MODULE = ["-m", "mkdocs_attention.hosts.myst_plugin"];

function python(args, input) {
  const run = spawnSync(PYTHON, [...MODULE, ...args], { input, encoding: "utf-8", maxBuffer: 1 << 30 });
  if (run.error || run.status !== 0) {
    const why = run.error ? run.error.message : (run.stderr || "").trim().split("\n").pop();
    throw new Error(`attention: ${PYTHON} ${MODULE.join(" ")} failed (${why}); is mkdocs-attention installed there?`);
  }
  return JSON.parse(run.stdout);
}

/* The header options a fence takes are the directive's options (asked once, at load). */
const options = Object.fromEntries(python(["--options"]).map((name) => [name, { type: String }]));

const attentionMap = {
  name: "attention-map",
  doc: "An attention figure: the body and options of an attention fence.",
  options,
  body: { type: String },
  run(data) {
    return [{ type: "code", lang: "attention", value: data.body || "", attentionOptions: data.options || {},
      position: data.node.position }];
  },
};

const figures = {
  name: "attention-figures",
  doc: "Attention fences and directives to figures, once per page.",
  stage: "document",
  plugin: (_, utils) => (tree, vfile) => {
    const blocks = utils.selectAll("code", tree).filter((node) => node.lang === "attention");
    if (!blocks.length) return;
    const request = {
      page: vfile.path,
      blocks: blocks.map((node) => ({
        line: node.position ? node.position.start.line : null,
        body: node.value || "",
        options: node.attentionOptions || null,
      })),
    };
    let reply;
    try {
      reply = python([], JSON.stringify(request));
    } catch (err) {
      vfile.message(err.message, blocks[0].position).fatal = true;
      return;
    }
    blocks.forEach((node, k) => {
      const position = node.position;
      for (const key of Object.keys(node)) delete node[key];
      Object.assign(node, reply.nodes[k], { position });
    });
    for (const error of reply.errors) {
      vfile.message(error.message, error.line ? { line: error.line, column: 1 } : undefined).fatal = true;
    }
  },
};

export default { name: "mkdocs-attention", directives: [attentionMap], transforms: [figures] };
