"""Server-rendered pages. Views are thin: read the request, call a selector, render."""
