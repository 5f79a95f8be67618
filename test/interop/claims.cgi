#!/usr/bin/python3
# The protected page of the Apache relying party (mod_auth_openidc): the claims it received, as
# mod_auth_openidc hands them to the application (OIDC_CLAIM_* environment variables).
import html
import os

CLAIMS = ['acr', 'fiscal_number', 'given_name', 'family_name', 'sub']
rows = ''.join(
    f'<dt>{name}</dt><dd id="claim-{name}">{html.escape(os.environ.get("OIDC_CLAIM_" + name, ""))}</dd>'
    for name in CLAIMS
)
print('Content-Type: text/html; charset=utf-8')
print()
print(f'<!doctype html><html lang="it"><head><title>Servizio Apache</title><link rel="icon" href="data:,"></head><body><main><h1>Servizio Apache</h1><dl>{rows}</dl></main></body></html>')
