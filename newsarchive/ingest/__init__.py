"""Ingest: raw newspaper page text (seeds/*.txt) -> one Markdown file per article (content/)."""
