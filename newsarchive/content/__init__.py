"""The archive's source of truth, `content/*.md`: one article per file, YAML front matter then
Markdown paragraphs.

article     the Article record, its fields and hashes, paragraphs and summary
frontmatter splitting and reading the YAML front matter
parse       one file to an Article, every error with its file and line
markdown    article bodies as safe HTML
pages       page metadata (pages.toml): date, 版次, 版名
load        a whole content directory, in workers, reusing cached parses
"""
