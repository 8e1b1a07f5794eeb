#!/usr/bin/env python3
"""Extracts the operations the GitHub adapter calls from GitHub's bundled OpenAPI description.

Usage: extract_openapi.py /path/to/api.github.com.openapi-3.0.bundled.json > openapi-extract.json
Source: @octokit/openapi@23.0.2 generated/api.github.com.json (github/rest-api-description, MIT).
"""
import json
import sys

OPS = [
    ("get", "/repos/{owner}/{repo}"),
    ("get", "/repos/{owner}/{repo}/actions/runs/{run_id}"),
    ("get", "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}"),
    ("get", "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs"),
    ("get", "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs"),
    ("get", "/repos/{owner}/{repo}/actions/jobs/{job_id}"),
    ("get", "/repos/{owner}/{repo}/actions/jobs/{job_id}/logs"),
    ("get", "/repos/{owner}/{repo}/actions/runs/{run_id}/logs"),
    ("get", "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/logs"),
    ("post", "/repos/{owner}/{repo}/actions/jobs/{job_id}/rerun"),
    ("get", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs"),
    ("get", "/repos/{owner}/{repo}/contents/{path}"),
    ("post", "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs"),
    ("post", "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun"),
    ("get", "/repos/{owner}/{repo}/git/ref/{ref}"),
    ("post", "/repos/{owner}/{repo}/git/refs"),
    ("patch", "/repos/{owner}/{repo}/git/refs/{ref}"),
    ("get", "/repos/{owner}/{repo}/git/commits/{commit_sha}"),
    ("post", "/repos/{owner}/{repo}/git/blobs"),
    ("post", "/repos/{owner}/{repo}/git/trees"),
    ("post", "/repos/{owner}/{repo}/git/commits"),
    ("get", "/repos/{owner}/{repo}/pulls"),
    ("post", "/repos/{owner}/{repo}/pulls"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("get", "/repos/{owner}/{repo}/actions/variables/{name}"),
    ("patch", "/repos/{owner}/{repo}/actions/variables/{name}"),
    ("post", "/repos/{owner}/{repo}/actions/variables"),
    ("get", "/repos/{owner}/{repo}/issues"),
    ("post", "/repos/{owner}/{repo}/issues"),
    ("post", "/app/installations/{installation_id}/access_tokens"),
    ("get", "/repos/{owner}/{repo}/installation"),
    ("get", "/repos/{owner}/{repo}/actions/runs"),
    ("get", "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts"),
    ("get", "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}"),
]


def main(path):
    d = json.load(open(path))
    comp = d["components"]

    def deref(node, depth=0):
        if depth > 12:
            return {}
        if isinstance(node, dict):
            if "$ref" in node:
                kind, name = node["$ref"].split("/")[-2:]
                return deref(comp[kind][name], depth + 1)
            return {k: deref(v, depth + 1) for k, v in node.items()}
        if isinstance(node, list):
            return [deref(v, depth + 1) for v in node]
        return node

    out = {"source": "@octokit/openapi@23.0.2 generated/api.github.com.json (MIT)", "operations": []}
    for method, p in OPS:
        op = d["paths"][p][method]
        params = [deref(x) for x in op.get("parameters", [])]
        body = op.get("requestBody", {}).get("content", {})
        body_schema = None
        for ctype, c in body.items():
            body_schema = deref(c.get("schema", {}))
        examples = {}
        for status, r in op["responses"].items():
            r = deref(r)
            for ctype, c in r.get("content", {}).items():
                for name, ex in c.get("examples", {}).items():
                    if "value" in ex:
                        examples[status] = ex["value"]
                        break
        out["operations"].append({
            "method": method.upper(),
            "path": p,
            "operationId": op["operationId"],
            "parameters": [{"name": x["name"], "in": x["in"], "required": x.get("required", False)} for x in params],
            "requestBody": body_schema,
            "examples": examples,
        })
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


main(sys.argv[1])
