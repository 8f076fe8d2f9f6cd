"""The style gate: pycodestyle 2.5.0, the page's version, on every Python.

Newer pycodestyle releases flag code that 2.5.0 accepts (E721 on
`type(x) == str`), so no other version judges; and Python 3.12 and later
tokenize f-strings anew, which 2.5.0 misreads, so it is fed the tokens that
3.11 made.
"""
import functools
import tokenize
from typing import Iterable
from typing import Iterator
from typing import List
from typing import Optional
from typing import Tuple

import pycodestyle

from checks.harness.failures import CheckerError
from checks.harness.static import Finding

# "Style: pycodestyle, version 2.5" (the page).
PAGE_PYCODESTYLE = "2.5.0"
# Python 3.12 tokenizes an f-string as FSTRING_START, FSTRING_MIDDLE and
# FSTRING_END (PEP 701), and 3.14 a t-string alike; pycodestyle 2.5.0 then
# reads the literal text as code (a false E231 at the ":" of f"{a}:{b}").
STRING_STARTS = tuple(getattr(tokenize, name) for name in (
    "FSTRING_START", "TSTRING_START") if hasattr(tokenize, name))
STRING_ENDS = tuple(getattr(tokenize, name) for name in (
    "FSTRING_END", "TSTRING_END") if hasattr(tokenize, name))


def style_findings(name: str, text: str) -> List[Finding]:
    """Return pycodestyle 2.5.0's complaints about a file's text.

    Each graded task of a file asks for the same file's findings (app.py
    is graded by seven tasks), so they are worked out once per text.
    """
    if pycodestyle.__version__ != PAGE_PYCODESTYLE:
        raise CheckerError(
            "pycodestyle {} is installed, but the page's version {} judges "
            "style: pip install pycodestyle=={}".format(
                pycodestyle.__version__, PAGE_PYCODESTYLE, PAGE_PYCODESTYLE))
    return list(_findings(name, text))


@functools.lru_cache(maxsize=32)
def _findings(name: str, text: str) -> Tuple[Finding, ...]:
    """Return the findings for one file's text (cached: pure)."""
    style = pycodestyle.StyleGuide(quiet=True, config_file=False)
    report = _Collector(style.options)
    reader = _JoinedStringsChecker if STRING_STARTS else pycodestyle.Checker
    checker = reader(name, lines=text.splitlines(True),
                     options=style.options, report=report)
    checker.check_all()
    return tuple(report.findings)


def joined_strings(tokens: Iterable[tokenize.TokenInfo], lines: List[str]
                   ) -> Iterator[tokenize.TokenInfo]:
    """Yield tokens as Python 3.11 made them: one STRING per f-string.

    On Python 3.11 and older this changes nothing. From 3.12, an f-string's
    tokens, nested f-strings included, become one STRING token that spans
    its source text and carries its physical lines, which is what
    pycodestyle 2.5.0 was written to read.
    """
    opened: List[tokenize.TokenInfo] = []
    for token in tokens:
        if token.type in STRING_STARTS:
            opened.append(token)
        elif opened and token.type in STRING_ENDS:
            first = opened.pop()
            if not opened:
                yield _one_string(first, token, lines)
        elif not opened:
            yield token


def _one_string(first: tokenize.TokenInfo, last: tokenize.TokenInfo,
                lines: List[str]) -> tokenize.TokenInfo:
    """Return the STRING token from an f-string's first token to its last.
    """
    spanned = "".join(lines[first.start[0] - 1:last.end[0]])
    end = len(spanned) - len(lines[last.end[0] - 1]) + last.end[1]
    return tokenize.TokenInfo(tokenize.STRING, spanned[first.start[1]:end],
                              first.start, last.end, spanned)


class _JoinedStringsChecker(pycodestyle.Checker):
    """pycodestyle 2.5.0's checker, fed tokens as Python 3.11 made them."""

    def generate_tokens(self) -> Iterator[tokenize.TokenInfo]:
        """Yield the joined tokens, checking physical lines on the way.

        This is the one method 2.5.0 reads tokens in, and it does the same
        with them: stop at the last line, note `# noqa`, check each
        physical line once its tokens are read, and report a file that
        does not tokenize (the lines were given, so there is no I/O error).
        """
        tokens = tokenize.generate_tokens(self.readline)
        try:
            for token in joined_strings(tokens, self.lines):
                if token.start[0] > self.total_lines:
                    return
                self.noqa = token.line and pycodestyle.noqa(token.line)
                self.maybe_check_physical(token)
                yield token
        except (SyntaxError, tokenize.TokenError):
            self.report_invalid_syntax()


class _Collector(pycodestyle.StandardReport):
    """A pycodestyle report that keeps findings instead of printing."""

    def __init__(self, options: object) -> None:
        """Start with no findings."""
        super().__init__(options)
        self.findings: List[Finding] = []

    def error(self, line_number: int, offset: int, text: str,
              check: object) -> Optional[str]:
        """Keep one complaint."""
        code = super().error(line_number, offset, text, check)
        if code:
            self.findings.append(Finding(line_number, "line {}: {}".format(
                line_number, text)))
        return code

    def get_file_results(self) -> int:
        """Print nothing."""
        return self.file_errors
