"""Downloads the API schema the build validates against."""
import os
import urllib.request

with urllib.request.urlopen(os.environ["SCHEMA_URL"], timeout=10) as res:
    body = res.read()
with open("schema.json", "wb") as f:
    f.write(body)
print(f"schema downloaded ({len(body)} bytes)")
