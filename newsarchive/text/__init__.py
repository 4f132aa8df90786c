"""Text tools shared by ingest, the site model and search: segmentation, pinyin, slugs.

They depend on nothing else in the package, so every layer may import them.
"""
