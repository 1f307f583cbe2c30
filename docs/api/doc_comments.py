#!/usr/bin/python3
"""Doxygen INPUT_FILTER: reads one public header and prints it with its comments as
Doxygen sees them, so the headers keep the house style's plain `//` comments.

  - the comment block that opens a file becomes that file's documentation (\\file);
  - a `//` comment on its own line, at namespace, class, struct or enum scope, becomes
    `///` (documenting the declaration below it), unless a blank line follows its block
    (a section rule or a note on what follows: it documents no one declaration);
  - a `//` comment after a declaration on the same line becomes `///<` (documenting that
    declaration), and so does a comment line that continues it in the same column;
  - comments inside function bodies, `// NOLINT...` and `// namespace x` closers stay plain.

Line count is kept, so Doxygen's warnings point at the right line of the real header.
Usage (by Doxygen): doc_comments.py <header>
"""
import re
import sys

DECL_SCOPE = re.compile(r"^\s*(?:template\s*<.*>\s*)?(namespace|class|struct|enum|union)\b")
KEEP_PLAIN = re.compile(r"^\s*(NOLINT|namespace\b)")


def code_and_comment(line):
    """Splits a line at its `//` comment outside string and character literals."""
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif line.startswith("//", i):
            return line[:i], line[i:]
        i += 1
    return line, None


def detached_comment_lines(lines):
    """Indexes of the full-line comments whose block ends at a blank line: section rules and
    notes that document no particular declaration, so they stay plain."""
    detached = set()
    block = []
    for index, line in enumerate(lines):
        if line.strip().startswith("//"):
            block.append(index)
            continue
        if not line.strip():
            detached.update(block)
        block = []
    return detached


def main(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    detached = detached_comment_lines(lines)
    out = []
    scopes = []          # True for a declaration scope, False for a function body
    statement = ""       # the code since the last ; { or }, to tell the kind of a `{`
    in_preamble = True   # still in the file's opening comment block
    trailing_column = None  # column of the previous line's trailing doc comment
    continued_macro = False
    for index, line in enumerate(lines):
        code, comment = code_and_comment(line)
        stripped = code.strip()
        in_body = bool(scopes) and not scopes[-1]
        if in_preamble:
            if comment is not None and not stripped:
                text = comment[2:]
                out.append("///" + text)
                continue
            in_preamble = False
            if out:
                out[-1] += " \\file"  # the block documents this file (no name: this one)
        if continued_macro or stripped.startswith("#"):
            continued_macro = line.rstrip().endswith("\\")
            out.append(line)
            trailing_column = None
            continue
        # Braces decide the scope of the comments that follow.
        for c in code:
            if c == "{":
                scopes.append(bool(DECL_SCOPE.match(statement)))
                statement = ""
            elif c == "}":
                if scopes:
                    scopes.pop()
                statement = ""
            elif c == ";":
                statement = ""
            else:
                statement += c
        statement += " "
        if comment is None or in_body or KEEP_PLAIN.match(comment[2:]) or comment.startswith("///"):
            out.append(line)
            trailing_column = None
        elif stripped:
            # After a declaration on the same line: it documents that declaration.
            trailing_column = len(code)
            out.append(code + "///<" + comment[2:])
        elif trailing_column is not None and len(code) == trailing_column:
            out.append(code + "///<" + comment[2:])
        elif index in detached:
            trailing_column = None
            out.append(line)
        else:
            trailing_column = None
            out.append(code + "///" + comment[2:])
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
