"""A relying party written with Authlib's Flask client (Debian's python3-authlib, python3-flask).

Run as: /usr/bin/python3 authlib_rp.py  with VARCO_ISSUER, RP_CLIENT_ID, RP_CLIENT_SECRET, RP_PORT.
It shows the ID token claims it received (acr, fiscal_number, given_name, family_name) as HTML.
"""
import html
import os
import secrets

from authlib.integrations.flask_client import OAuth
from flask import Flask, redirect, session, url_for

app = Flask(__name__)
app.secret_key = secrets.token_hex(32)
port = int(os.environ['RP_PORT'])
oauth = OAuth(app)
oauth.register(
    'varco',
    client_id=os.environ['RP_CLIENT_ID'],
    client_secret=os.environ['RP_CLIENT_SECRET'],
    server_metadata_url=os.environ['VARCO_ISSUER'] + '/.well-known/openid-configuration',
    client_kwargs={'scope': 'openid profile', 'code_challenge_method': 'S256'},
)

CLAIMS = ['acr', 'fiscal_number', 'given_name', 'family_name', 'sub']


def page(body):
    return f'<!doctype html><html lang="it"><head><title>Servizio Authlib</title><link rel="icon" href="data:,"></head><body><main>{body}</main></body></html>'


@app.route('/healthz')
def healthz():
    return 'ok'


@app.route('/')
def home():
    return page('<h1>Servizio Authlib</h1><a id="login" href="/login">Accedi</a>')


@app.route('/login')
def login():
    return oauth.varco.authorize_redirect(f'http://127.0.0.1:{port}/callback')


@app.route('/callback')
def callback():
    token = oauth.varco.authorize_access_token()
    claims = token['userinfo']
    rows = ''.join(f'<dt>{n}</dt><dd id="claim-{n}">{html.escape(str(claims.get(n, "")))}</dd>' for n in CLAIMS)
    return page(f'<h1>Servizio Authlib</h1><dl>{rows}</dl>')


if __name__ == '__main__':
    app.run(host='127.0.0.1', port=port)
