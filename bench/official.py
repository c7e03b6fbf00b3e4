"""Times twilio-python's RequestValidator.validate on the inputs written by `core gen` (bench/run.sh).

Usage: python official.py INPUTS.json  ->  prints {"case": ns_per_op} (JSON)

Form webhooks are validated twice, as a view would call it with its framework's form object:
- "python": a multidict with `getall` (aiohttp's, and the first method twilio-python tries): the fastest
  container, the figure used for the ratios;
- "python_dict": a plain dict, where twilio-python's `get_values` raises and catches two AttributeErrors per
  parameter per URL form (Flask's and Django's MultiDicts raise one: they have `getlist`).
JSON webhooks pass the body string, which makes `validate` check the URL's bodySHA256 too. Each answer must be
True before it is timed. Timing: timeit, iterations chosen by autorange (>= 0.2 s per batch), 7 batches,
fastest batch's ns/op, like the Rust and Node sides.
"""
import json
import sys
import timeit

import twilio
from twilio.request_validator import RequestValidator

REPEATS = 7


class GetAllDict(dict):
    """A multidict with single values, `getall` like aiohttp's MultiDict."""

    def getall(self, name):
        return [self[name]]


def time_validate(validator, url, params, sig, name):
    def validate():
        return validator.validate(url, params, sig)

    assert validate() is True, name + ": twilio-python does not validate the input"
    timer = timeit.Timer(validate)
    number, _ = timer.autorange()
    best = min(timer.repeat(repeat=REPEATS, number=number))
    return best / number * 1e9


def main(path):
    with open(path) as f:
        doc = json.load(f)
    validator = RequestValidator(doc["token"])
    results = {"python": {}, "python_dict": {}}
    for case in doc["cases"]:
        name, url, sig = case["name"], case["url"], case["signature"]
        if "json" in case:
            results["python"][name] = time_validate(validator, url, case["json"], sig, name)
            continue
        params = dict(case["params"])
        assert len(params) == len(case["params"]), name + ": repeated names need a real MultiDict"
        results["python"][name] = time_validate(validator, url, GetAllDict(params), sig, name)
        results["python_dict"][name] = time_validate(validator, url, params, sig, name)
    results["version"] = twilio.__version__
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1])
