"""Bounded readers of untrusted input: JSON, XML, YAML, text, card front matter and Markdown bodies.

Shared by harvest, review and the Hub crawl, so every file mlaudit reads from a release (or the Hub)
goes through the same size, nesting, encoding and expansion bounds, and untrusted text is shown
through one sanitiser (`sanitise`).
"""
