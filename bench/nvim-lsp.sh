#!/usr/bin/env bash
# Neovim, headless, as a real LSP client of `portreg lsp`: opens a draft, waits for the
# diagnostics the server publishes, prints them one per line (line:col severity[code]
# message) and quits. Usage: bash bench/nvim-lsp.sh [DRAFT] [-- PORTREG-LSP-ARGS...]
# Needs nvim (Debian: apt-get install -y neovim; 0.7 or later).
set -euo pipefail
cd "$(dirname "$0")/.."
draft=${1:-examples/mistakes/underscore-and-version.toml}
shift || true
[ "${1:-}" = "--" ] && shift
cargo build --quiet
bin=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/debug/portreg
script=$(mktemp --suffix .lua)
trap 'rm -f "$script"' EXIT
cat > "$script" <<'LUA'
-- vim.lsp.start_client + buf_attach_client work from Neovim 0.5 on (vim.lsp.start is 0.8+).
local args = vim.fn.json_decode(os.getenv("PORTREG_LSP_CMD"))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({ name = "portreg", cmd = args, root_dir = vim.fn.getcwd() })
vim.lsp.buf_attach_client(buf, id)
local got = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
local names = { "error", "warning", "info", "hint" }
local out = {}
local diags = vim.diagnostic.get(buf)
table.sort(diags, function(a, b)
  if a.lnum ~= b.lnum then return a.lnum < b.lnum end
  return a.col < b.col
end)
for _, d in ipairs(diags) do
  local first = vim.split(d.message, "\n")[1]
  table.insert(out, string.format("%d:%d %s[%s] %s", d.lnum + 1, d.col + 1,
    names[d.severity] or "?", tostring(d.code), first))
end
io.stdout:write(string.format("nvim %s received %d diagnostics from portreg lsp%s\n",
  tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. "." .. tostring(vim.version().patch),
  #out, got and "" or " (timed out)"))
for _, line in ipairs(out) do io.stdout:write(line .. "\n") end
vim.lsp.stop_client(id)
vim.cmd("qa!")
LUA
cmd=$(printf '%s\n' "$bin" lsp "$@" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().split("\n")[:-1]))')
PORTREG_LSP_CMD=$cmd nvim --headless -u NONE -i NONE -n -c "luafile $script" "$draft"
