"""triage: inquiry triage for export sales.

The package is a pipeline, one module per stage:

    parse (parse.py, extract.py) -> enrich (enrich/) -> judge (judge/)
    -> persona (persona.py) -> draft (draft.py, followup.py) -> store (store.py)

The command line (cli.py) is a thin shell over ``pipeline.py``.
"""

__version__ = "0.1.0"
