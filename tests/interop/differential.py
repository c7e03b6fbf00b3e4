# Batch driver for tests/tests/differential.rs: runs twilio-python 9.13.0's RequestValidator on every case.
#
# stdin: a JSON list of cases
#   {"token": str, "alg": str | null,
#    "sign": null | {"url": str, "params": [[name, value], ...]}
#                 | {"url": str, "body": str}          (appends bodySHA256=<compute_hash(body)>, signs the URL)
#    "checks": [{"url": str, "params": [[name, value], ...] | null, "body": str | null,
#                "sig": str | null,                     (null: the signature computed by "sign")
#                "edit": null | [index, char, fallback_char]}]}   (replace one character of that signature)
# stdout: a JSON list, one entry per case
#   {"sig": str | null, "url": str | null, "checks": [{"ok": bool, "raised": str | null}]}
#
# A Python exception during validate counts as a rejection, and its type is reported.
import json
import sys

from twilio.request_validator import RequestValidator


class MultiDict(dict):
    """name -> [values], read through getlist() like Werkzeug's MultiDict or Django's QueryDict."""

    def getlist(self, name):
        return self[name]


def multidict(pairs):
    md = MultiDict()
    for name, value in pairs:
        md.setdefault(name, []).append(value)
    return md


def edited(sig, edit):
    if edit is None:
        return sig
    index, char, fallback = edit
    chars = list(sig)
    chars[index] = char if chars[index] != char else fallback
    return "".join(chars)


def run(case):
    validator = RequestValidator(case["token"])
    alg = case["alg"]
    sig = url = None
    sign = case.get("sign")
    if sign is not None:
        url = sign["url"]
        if "body" in sign:
            url += ("&" if "?" in url else "?") + "bodySHA256=" + validator.compute_hash(sign["body"])
            sig = validator.compute_signature(url, {}, alg)
        else:
            sig = validator.compute_signature(url, multidict(sign["params"]), alg)
    results = []
    for check in case["checks"]:
        signature = edited(sig if check["sig"] is None else check["sig"], check.get("edit"))
        params = check["body"] if check.get("body") is not None else multidict(check["params"] or [])
        try:
            ok = validator.validate(check["url"], params, signature, alg)
            raised = None
        except Exception as e:  # noqa: BLE001 - any exception is a rejection
            ok, raised = False, type(e).__name__
        results.append({"ok": bool(ok), "raised": raised})
    return {"sig": sig, "url": url, "checks": results}


cases = json.loads(sys.stdin.buffer.read().decode("utf-8"))
json.dump([run(c) for c in cases], sys.stdout, ensure_ascii=True)
