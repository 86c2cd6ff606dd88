# Deeply nested TOML (dotted keys, [a.b.c] and [[a.b.c]] headers, quoted key parts, inline tables,
# arrays, and all of them together) is refused with file:line:col before the parser recurses: at
# 40 000 levels the recursion used to overflow the stack (SIGSEGV). Nesting a little under the limit
# still reaches the usual checks.
source "$(dirname "$0")/common.bash"
"$PTMC_PYTHON" - <<'PY'
D = 40000
files = {
    "dotted": "a." + ".".join(["a"] * D) + " = 1\n",
    "header": "[model]\nname = \"sk\"\n[" + ".".join(["t"] * D) + "]\nx = 1\n",
    "array_header": "[[" + ".".join(["t"] * D) + "]]\n",
    "quoted": '"a.b".' * D + "c = 1\n",
    "inline": "a = " + "{ b = " * D + "1" + " }" * D + "\n",
    "array": "a = " + "[" * D + "1" + "]" * D + "\n",
    "mixed": "[x.y]\n" + "a." * 30 + "b = " + "[{ c = " * 20 + "1" + "}]" * 20 + "\n",
    "shallow": "# [[[[ {{{{ in a comment\ns = \"a.b.c[[{{\"\nm = '''\n[[[[\n'''\n" + "a." * 50 + "b = [[[1]]]\n",
}
for name, text in files.items():
    open(f"{name}.toml", "w").write(text)
PY
expect_deep() {
  expect_fail "$1" "$1.toml:$2: error: nesting too deep" "$ptmc" check "$1.toml"
  grep -qF "expected at most 64" err.txt || fail "$1: the message does not say what is expected"
}
expect_deep dotted 1:128
expect_deep header 3:1
expect_deep array_header 1:1
expect_deep quoted 1:384
expect_deep inline 1:197
expect_deep array 1:68
expect_deep mixed 2:136
# 54 levels: under the limit, so the parser reads it and the section check refuses it.
expect_fail "shallow" "shallow.toml:6:1: error: key 'a': unknown section" "$ptmc" check shallow.toml
# run reads the file the same way.
expect_fail "run" "dotted.toml:1:128: error: nesting too deep" "$ptmc" run dotted.toml -o out.h5 -q
echo "ok: deep nesting is refused with file:line:col"
