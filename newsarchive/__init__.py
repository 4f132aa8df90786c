"""newsarchive: a static site generator for Chinese newspaper archives."""

__version__ = "0.1.0"
