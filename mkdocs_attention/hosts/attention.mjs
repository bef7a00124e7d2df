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
 *
 * Exports (Word, PDF, LaTeX, Typst, Markdown, JATS) run no script: a build asked for exports
 * only (`jupyter-book build --pdf`) gets each figure as words and numbers instead, a table of
 * what its focus token attends to. MKDOCS_ATTENTION_MYST=static or =widget decides for a build
 * that makes both (one run cannot give each output its own form).
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

const EXPORTS = ["--docx", "--word", "--pdf", "--tex", "--typst", "--md", "--jats", "--xml", "--meca", "-o", "--output"];
const SITES = ["--site", "--html", "--all", "-a", "start"];

/* Whether figures are made for exports (words and numbers) rather than for the site (widgets). */
function forExports() {
  const asked = process.env.MKDOCS_ATTENTION_MYST;
  if (asked === "static" || asked === "widget") return asked === "static";
  const args = process.argv.slice(2);
  return args.some((a) => EXPORTS.includes(a)) && !args.some((a) => SITES.includes(a));
}

/* Each block replaced by the nodes answered for it (words and numbers are several). */
function replaceBlocks(tree, blocks, nodes) {
  const answered = new Map(blocks.map((node, k) => [node, nodes[k]]));
  (function walk(parent) {
    if (!Array.isArray(parent.children)) return;
    parent.children = parent.children.flatMap((child) => {
      if (!answered.has(child)) {
        walk(child);
        return [child];
      }
      return answered.get(child).map((node) => ({ ...node, position: child.position }));
    });
  })(tree);
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
      static: forExports(),
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
    replaceBlocks(tree, blocks, reply.nodes);
    for (const error of reply.errors) {
      vfile.message(error.message, error.line ? { line: error.line, column: 1 } : undefined).fatal = true;
    }
  },
};

export default { name: "mkdocs-attention", directives: [attentionMap], transforms: [figures] };
