--[[ The example course's MkDocs Markdown, read by Pandoc: its two MkDocs-only habits.

- An admonition (`!!! note "Title"` and its indented body, which Pandoc reads as one paragraph)
  becomes a `<div class="admonition note">` with its title.
- A link to another page (`heads.md`, `heads.md#section`) goes to that page's HTML.

Not part of mkdocs-attention: only the course needs it (`make demo-pandoc`).
]]

local function admonition(para)
  local first = para.content[1]
  if not (first and first.t == "Str" and first.text == "!!!") then return nil end
  local kind, title, rest = "note", nil, {}
  local k = 3
  if para.content[k] and para.content[k].t == "Str" then kind = para.content[k].text; k = k + 1 end
  if para.content[k] and para.content[k].t == "Space" then k = k + 1 end
  if para.content[k] and para.content[k].t == "Quoted" then title = para.content[k].content; k = k + 1 end
  while para.content[k] and (para.content[k].t == "SoftBreak" or para.content[k].t == "Space") do k = k + 1 end
  for i = k, #para.content do table.insert(rest, para.content[i]) end
  local heading = pandoc.Para({ pandoc.Strong(title or { pandoc.Str(kind:gsub("^%l", string.upper)) }) })
  return pandoc.Div({ heading, pandoc.Para(rest) }, pandoc.Attr("", { "admonition", kind }))
end

function Para(para) return admonition(para) end

function Link(link)
  link.target = link.target:gsub("^([%w%-]+)%.md(#?.*)$", "%1.html%2")
  return link
end
