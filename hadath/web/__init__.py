"""The explorer: static pages, scripts and the world outline the API serves."""
