"""Site settings from `site.toml`."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ArchiveError


@dataclass(frozen=True)
class Paging:
    """How many items list pages, the front page and the feed show."""

    articles_per_page: int = 20
    front_page_articles: int = 12
    feed_entries: int = 50


@dataclass(frozen=True)
class SiteConfig:
    """The site's title, the newspaper it archives, language, base URL and paging sizes."""

    title: str = "报纸档案"
    description: str = ""
    newspaper: str = ""           # 报纸名, for citations and schema.org; "" when not given
    language: str = "zh-CN"
    base_url: str = "http://localhost:8000/"
    paging: Paging = field(default_factory=Paging)

    def with_base_url(self, base_url: str | None) -> "SiteConfig":
        """This config with `base_url` overridden (normalised to end in '/')."""
        if not base_url:
            return self
        return replace(self, base_url=base_url.rstrip("/") + "/")


def load_config(path: Path) -> SiteConfig:
    """Read `site.toml`; a missing file gives the defaults, a broken one an ArchiveError."""
    if not path.exists():
        return SiteConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"cannot read site settings: {exc}", path) from exc
    paging_data = data.get("paging", {})
    try:
        paging = Paging(**{k: int(v) for k, v in paging_data.items()})
        cfg = SiteConfig(
            title=str(data.get("title", SiteConfig.title)),
            description=str(data.get("description", "")),
            newspaper=str(data.get("newspaper", "")),
            language=str(data.get("language", "zh-CN")),
            base_url=str(data.get("base_url", SiteConfig.base_url)),
            paging=paging,
        )
    except (TypeError, ValueError) as exc:
        raise ArchiveError(f"bad setting: {exc}", path,
                           hint="keys: title, description, newspaper, language, base_url, [paging]") from exc
    return cfg.with_base_url(cfg.base_url)
