from setuptools import setup

# scrapyd-deploy writes a bare setup.py (packaging the tests, dropping the schemas) unless one
# exists: this shim defers to pyproject.toml, which excludes tests and ships the schemas.
setup()
