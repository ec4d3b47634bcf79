"""The staff blueprint object, shared by the modules that add views to it."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")
