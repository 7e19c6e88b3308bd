"""Run 1EdTech's `openbadges` validator on one assertion, offline.

Runs in a virtualenv of its own (the validator pins click 6 and PyLD 0.7, which wearkit's
click 8 and openbadgeslib's PyLD 3 cannot share): every URL it fetches is answered from the
JSON file given, with the OB 2.0 context from the validator's own package.
Usage: python validate_ob2.py documents.json assertion_url email
"""

import base64
import json
import sys

import responses
from openbadges import verify
from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT

documents = json.load(open(sys.argv[1]))
with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
    mock.add(responses.GET, "https://w3id.org/openbadges/v2", json=OPENBADGES_CONTEXT_V2_DICT)
    for url, (content_type, body) in documents.items():
        mock.add(responses.GET, url, body=base64.b64decode(body), content_type=content_type)
    result = verify(sys.argv[2], recipient_profile={"email": sys.argv[3]}, use_cache=False)
report = result["report"]
print(
    json.dumps(
        {
            "valid": report["valid"],
            "errors": report["errorCount"],
            "messages": [m.get("result", "") for m in report["messages"]],
        }
    )
)
