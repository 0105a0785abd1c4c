"""Offline theme summaries of young people's free-text feedback.

`themes.framework.ThemeTagger` tags a comment with the framework themes of
design/question-framework.md; `themes.emerging.emerging_clusters` groups the comments that fit
none of them and names each group by its key phrases. Pure Python and PyYAML: no model, no
network, nothing loaded until a caller asks (`ThemeTagger.load()`).
"""
