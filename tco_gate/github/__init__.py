"""Everything that knows it runs on GitHub Actions.

The only package that reads `GITHUB_*` variables, writes the step summary and the step outputs, prints
workflow commands, or calls GitHub's REST API. The rest of tco-gate neither knows nor cares where it runs.
"""
