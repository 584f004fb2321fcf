"""Reading: a file's bytes (.txt, .md, .docx, .pdf) become a Source, its text with a map back to the
places of the original."""
