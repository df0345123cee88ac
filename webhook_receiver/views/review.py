"""The review page: one HTML shell, static scripts, and the settings those scripts need.

Everything the page shows comes from the approval API; this view only hands out the shell
and the public sign-in settings (the Supabase URL and anon key are meant for browsers).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for

from webhook_receiver.services import services

review = Blueprint("review", __name__)


@review.get("/")
def home():
    return redirect(url_for("review.page"))


@review.get("/review/")
def page():
    return render_template("review.html")


@review.get("/review/config.json")
def config():
    settings = services().settings
    anon_key = settings.supabase_anon_key
    supabase = (
        {"url": settings.supabase_url, "anon_key": anon_key.get_secret_value()}
        if settings.supabase_url and anon_key
        else None
    )
    return jsonify({"supabase": supabase, "dev_sign_in": settings.app_env == "development"})
