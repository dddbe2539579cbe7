"""newsprism: one story, seen through every outlet."""

from __future__ import annotations

import logging

from newsprism.model import SCHEMA_VERSION
from newsprism.runtime import keep_torch_out_of_spacy

__version__ = "0.1.0"
__all__ = ["SCHEMA_VERSION", "__version__", "analyze"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
keep_torch_out_of_spacy()  # spaCy's thinc would import torch (~1.4 s, 180 MB) for nothing


def analyze(*args, **kwargs):
    """Run the whole pipeline; see :func:`newsprism.api.analyze`."""
    from newsprism.api import analyze as _analyze  # heavy: newsprism.api loads spaCy

    return _analyze(*args, **kwargs)
