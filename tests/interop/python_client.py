"""Signs webhook requests with twilio-python's RequestValidator and sends them with `requests`, like
Twilio would. Reads {"token": ..., "cases": [...]} as JSON on stdin; writes [{"name", "status", "body", "content_type"}].

A case: name, method ("POST"/"GET"), url (where to send), sign_url (what Twilio signed; default url),
params ([[name, value], ...] form fields to send), sign_params (what was signed; default params),
json (a raw JSON body: bodySHA256 of sign_json, default json, is added to both URLs), sign_json,
headers ({...}), signature (an explicit X-Twilio-Signature, or null to send none), algorithm.
"""
import json
import sys

import requests
from twilio.request_validator import RequestValidator


class MultiDict(dict):
    """Repeated keys, the way Flask/Django hand them to RequestValidator (getlist)."""

    def __init__(self, pairs):
        super().__init__()
        self.pairs = pairs
        for k, _ in pairs:
            self[k] = None

    def getlist(self, name):
        return [v for k, v in self.pairs if k == name]


def with_query(url, name, value):
    base, sep, fragment = url.partition("#")
    joiner = "" if base.endswith("?") or base.endswith("&") else ("&" if "?" in base else "?")
    return base + joiner + name + "=" + value + sep + fragment


def run(case, validator):
    url = case["url"]
    sign_url = case.get("sign_url") or url
    headers = dict(case.get("headers") or {})
    data = None
    params = [tuple(p) for p in case.get("params") or []]
    algorithm = case.get("algorithm")
    if case.get("json") is not None:
        body = case["json"]
        signed_body = case.get("sign_json") or body
        sign_url = with_query(sign_url, "bodySHA256", validator.compute_hash(signed_body))
        url = with_query(url, "bodySHA256", validator.compute_hash(signed_body))
        signature = validator.compute_signature(sign_url, {}, algorithm)
        data = body.encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    else:
        sign_params = [tuple(p) for p in case.get("sign_params") or params]
        signature = validator.compute_signature(sign_url, MultiDict(sign_params), algorithm)
        if case["method"] != "GET":
            data = params
    if "signature" in case:
        signature = case["signature"]
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    r = requests.request(case["method"], url, data=data, headers=headers, timeout=30, allow_redirects=False)
    return {"name": case["name"], "status": r.status_code, "body": r.text,
            "content_type": r.headers.get("Content-Type", "")}


def main():
    spec = json.load(sys.stdin)
    validator = RequestValidator(spec["token"])
    json.dump([run(case, validator) for case in spec["cases"]], sys.stdout)


main()
