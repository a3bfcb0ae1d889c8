"""The enrich stage: what the buyer's domains, DNS and website say about them.

    from triage.enrich import enrich, enrich_many, analyse_domains, summary, Fetcher, DictCache

``enrich(inquiry, cache=..., fetcher=..., resolver=..., offline=..., refresh=..., now=...)``
returns the JSON contract's ``enrichment`` dict. The only network code of
triage lives here (``fetch.py`` for HTTP, ``mx.py`` for DNS); importing this
package is cheap: requests, bs4 and dnspython are imported when first used.
"""

from triage.enrich.cache import DictCache
from triage.enrich.core import analyse_domains, enrich, enrich_many
from triage.enrich.fetch import Fetcher
from triage.enrich.summary import evidence_lines, summary

__all__ = ["enrich", "enrich_many", "analyse_domains", "summary", "evidence_lines", "Fetcher", "DictCache"]
