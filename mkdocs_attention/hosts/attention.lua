--[[ mkdocs-attention for Pandoc and Quarto: ```attention code blocks become figures.

  pandoc notes.md --standalone -o notes.html --lua-filter "$(mkdocs-attention pandoc)"

Once per document the filter hands every attention block to mkdocs-attention (a Python process,
`python3 -m mkdocs_attention.hosts.pandoc_filter`; MKDOCS_ATTENTION_PYTHON names another Python)
and puts back what it answers: the figure in HTML outputs, its words and numbers in the others, a
located message for a bad block. The widget's style and script go once into each HTML document
with figures (Quarto: as an HTML dependency). Metadata `attention-fail-on-error: true` makes a bad
block fail the render; `attention-assets: URL` links the widget's files there (copied by
`mkdocs-attention assets`) instead of writing them into the page. `mkdocs-attention quarto DIR`
writes this file as a Quarto extension.
]]

local function in_quarto()
  return quarto ~= nil and quarto.doc ~= nil and quarto.doc.add_html_dependency ~= nil
end

local function is_attention(block)
  return block.classes[1] == "attention"
end

local function request_of(doc, blocks)
  local request = { format = FORMAT, inputs = PANDOC_STATE.input_files, blocks = {}, quarto = in_quarto() }
  local url = doc.meta["attention-assets"]
  if url then request.assets_url = pandoc.utils.stringify(url) end
  for i, block in ipairs(blocks) do
    local attributes = {}
    for key, value in pairs(block.attributes) do attributes[key] = value end
    request.blocks[i] = { body = block.text, attributes = attributes }
  end
  return request
end

local function ask(request)
  local python = os.getenv("MKDOCS_ATTENTION_PYTHON") or "python3"
  local module = "mkdocs_attention.hosts.pandoc_filter"
  local ok, out = pcall(pandoc.pipe, python, { "-m", module }, pandoc.json.encode(request))
  if not ok then  -- what the Python said is above; no Lua traceback after it
    io.stderr:write("attention: " .. python .. " -m " .. module .. " failed: is mkdocs-attention "
      .. "installed for that Python? (MKDOCS_ATTENTION_PYTHON names another)\n")
    io.stderr:flush()
    os.exit(1)
  end
  return pandoc.json.decode(out, false)
end

local function add_assets(doc, reply)
  local files = reply.files
  if files and files ~= pandoc.json.null then
    -- Quarto (written against its documented filter API; not run in mkdocs-attention's tests):
    -- the files are copied beside the page once per site and linked from each page with figures.
    quarto.doc.add_html_dependency({
      name = "mkdocs-attention",
      version = files.version,
      scripts = files.scripts,
      stylesheets = files.stylesheets,
      resources = files.resources,
    })
  elseif reply.assets and reply.assets ~= pandoc.json.null then
    doc.blocks:insert(pandoc.RawBlock("html", reply.assets))
  end
  return doc
end

function Pandoc(doc)
  local blocks = {}
  doc:walk({ CodeBlock = function(block) if is_attention(block) then table.insert(blocks, block) end end })
  if #blocks == 0 then return nil end
  local reply = ask(request_of(doc, blocks))
  for _, message in ipairs(reply.errors) do io.stderr:write(message .. "\n") end
  io.stderr:flush()
  local fail = doc.meta["attention-fail-on-error"]
  if #reply.errors > 0 and fail and pandoc.utils.stringify(fail) == "true" then
    io.stderr:write("attention: " .. #reply.errors .. " bad block(s), and attention-fail-on-error is set\n")
    io.stderr:flush()
    os.exit(1)
  end
  local k = 0
  doc = doc:walk({
    CodeBlock = function(block)
      if not is_attention(block) then return nil end
      k = k + 1
      local answer = reply.blocks[k]
      if answer.html then return pandoc.RawBlock("html", answer.html) end
      return pandoc.read(answer.text, "markdown").blocks
    end,
  })
  return add_assets(doc, reply)
end
