"""plancheck's version, here rather than in the package root so that reporters and the web server
can name it without importing the root, which loads the engine."""

__version__ = "0.1.0"
