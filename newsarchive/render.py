"""Jinja2 for the theme: autoescape everywhere, undefined variables are errors."""
from __future__ import annotations

import hashlib
import re
import traceback
from pathlib import Path
from typing import Any, Callable, Iterable

from jinja2 import (Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, TemplateError,
                    TemplateSyntaxError)
from jinja2.compiler import CodeGenerator
from markupsafe import Markup, escape

try:   # markupsafe's own escaping, without the Markup object its escape() wraps the text in
    from markupsafe._speedups import _escape_inner
except ImportError:   # a markupsafe without its C speedups, or one that moved them
    def _escape_inner(text: str) -> str:
        return str(escape(text))

from .archive import DEFAULT_THEME
from .errors import ArchiveError
from .files import COMPILED_TEMPLATE
from .strings import Strings
from .theme import Theme

THEME_DIR = DEFAULT_THEME         # the default theme's folder
TEASER_TEMPLATE = "_teaser.html"
TEASER_MEMO = 150_000              # list items kept for reuse (about 700 bytes each)
ROOT_MARK = Markup("<root>")       # stands for the page's root in a reusable list item


def html_text(value: Any) -> str:
    """`value` as HTML text, escaped as markupsafe.escape escapes it (a value with `__html__`,
    such as Markup, is taken as it says), but as a plain str.

    What the templates print goes through this (see OutputCodeGenerator): a page prints some
    seventy values, and building a Markup object for each, only to join them all into one
    string, cost a fifth of the time an article page takes to render."""
    if type(value) is str:
        return _escape_inner(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()
    return _escape_inner(str(value))


class OutputCodeGenerator(CodeGenerator):
    """Jinja's code generator, compiling an autoescaped `{{ value }}` to `html_text(value)`
    instead of `escape(value)`: the same text.

    A printed value only ever joins the page's other pieces (Jinja wraps captured blocks and
    macro output in Markup itself), so it needs no Markup of its own. Should a Jinja release
    stop calling this hook, templates compile as Jinja compiles them: slower, the same pages."""

    def visit_Template(self, node: Any, frame: Any = None) -> None:
        self.writeline(f"from {__name__} import html_text")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("html_text(")
        if finalize.src is not None:
            self.write(finalize.src)


class ThemeEnvironment(Environment):
    """A Jinja environment whose templates print through html_text."""

    code_generator_class = OutputCodeGenerator


class WordedLoader(FileSystemLoader):
    """Loads templates with their plain wording entries (`{{ ui.key }}`) written in as text.

    The wording is fixed for a build (it is part of the theme, and so of the build's stamps):
    a page then pays nothing for the dozen entries it shows, where an expression costs a lookup,
    an escape and a piece of output each, 100,000 times over. Entries with placeholders
    (`ui.fill(…)`) stay expressions."""

    _PLAIN = re.compile(r"\{\{-?\s*ui\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}")

    def __init__(self, searchpath: list[str], ui: Strings) -> None:
        super().__init__(searchpath)
        self.ui = ui

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        return self._PLAIN.sub(self._written, source), filename, uptodate

    def _written(self, match: re.Match) -> str:
        """An entry as escaped template text (kept an expression when the table lacks it, so
        that the template error names it as Jinja would)."""
        try:
            text = str(escape(getattr(self.ui, match.group(1))))
        except AttributeError:
            return match.group(0)
        return "{% raw %}" + text + "{% endraw %}" if "{" in text else text


class Renderer:
    """The theme's templates, compiled once, rendering view contexts to text."""

    def __init__(self, theme: Theme, compiled_dir: Path | None = None, ui: Strings | None = None) -> None:
        self.template_dirs = theme.template_dirs
        # Compiled templates kept between builds (Jinja checks each against its source).
        bytecode = None
        if compiled_dir is not None:
            compiled_dir.mkdir(parents=True, exist_ok=True)
            # named for this code generator: what Jinja's own compiled (older builds) is not
            # reused, and goes
            for old in compiled_dir.glob("__jinja2_*.cache"):
                old.unlink(missing_ok=True)
            bytecode = FileSystemBytecodeCache(str(compiled_dir), COMPILED_TEMPLATE)
        ui = ui or theme.strings()
        # autoescape=True for every template, XML and text included: all article text is untrusted.
        self.env = ThemeEnvironment(loader=WordedLoader([str(d) for d in self.template_dirs], ui),
                                    autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                                    lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
                                    cache_size=-1, bytecode_cache=bytecode)
        self.fragments: dict[tuple, Markup] = {}
        self.teaser_items: dict[tuple, str] = {}
        self.env.globals["fragment"] = self.fragment
        self.env.globals["ui"] = ui     # the theme's wording, in every template
        self.env.globals["teasers"] = self.teasers

    def preload(self, names: list[str]) -> None:
        """Compile `names` now, so forked workers share the compiled templates."""
        for name in names:
            try:
                self.env.get_template(name)
            except TemplateError as exc:
                raise self.error(exc, name) from exc

    def render(self, name: str, context: dict[str, Any]) -> str:
        """Template `name` rendered with `context`."""
        try:
            return self.env.get_template(name).render(context)
        except TemplateError as exc:
            raise self.error(exc, name) from exc

    def fragment(self, name: str, **values: Any) -> Markup:
        """Template `name` rendered with `values`, once per distinct `values`.

        The masthead and footer differ only by the page's depth and section, yet hold a good
        share of every page's links; rendering them once per variant keeps 100,000-page builds fast.
        """
        key = (name, tuple(sorted(values.items())))
        if key not in self.fragments:
            self.fragments[key] = Markup(self.env.get_template(name).render(values))
        return self.fragments[key]

    def teasers(self, teasers: Iterable[Any], root: str, level: int, show_page: bool,
                reuse: bool = True) -> Markup:
        """The list items of `teasers` (`_teaser.html` each), for a page whose root is `root`.

        An article shows on several lists (its tags, districts, people and column): its item is
        rendered once with a placeholder root, kept, and reused on each of them with the page's
        own root put in. Article text is escaped, so the placeholder's `<` can only come from
        the template. A list whose items show nowhere else (a newspaper page: each article is
        on one) passes reuse=False, so that they do not crowd out the items that recur.
        """
        template = self.env.get_template(TEASER_TEMPLATE)
        items = self.teaser_items
        if len(items) > TEASER_MEMO:   # bounded: a very large build must not keep them all
            items.clear()
        parts = []
        for teaser in teasers:
            key = (teaser.key, level, show_page)
            item = items.get(key)
            if item is None:
                item = template.render(t=teaser, root=ROOT_MARK, level=level, show_page=show_page)
                if reuse:
                    items[key] = item
            parts.append(item)
        return Markup("".join(parts).replace(ROOT_MARK, root))

    def error(self, exc: TemplateError, name: str) -> ArchiveError:
        """A template problem as an ArchiveError naming the template file and line."""
        if isinstance(exc, TemplateSyntaxError) and exc.filename:
            return ArchiveError(f"template error: {exc.message}", exc.filename, exc.lineno)
        # Jinja rewrites tracebacks so that template frames carry the template's file and line.
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if any(frame.filename.startswith(str(folder)) for folder in self.template_dirs):
                return ArchiveError(f"template error: {exc}", frame.filename, frame.lineno)
        source = next((d / name for d in self.template_dirs if (d / name).is_file()), Path(name))
        return ArchiveError(f"template error: {exc}", source)


def fingerprint(template: str, context: dict[str, Any]) -> str:
    """A hash of everything a page shows: equal fingerprints render equal bytes."""
    text = repr((template, sorted(context.items())))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
