import pytest

from campaigns import create_app
from campaigns.config import ConfigError, load_config
from campaigns.emails.sending import mailbox_enabled, sender_for


def test_development_runs_with_nothing_set(tmp_path) -> None:
    config = load_config(str(tmp_path), {})
    assert config["SECRET_KEY"]
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/campaigns.sqlite3"
    assert config["DEFAULT_TIMEZONE"] == "UTC"


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        load_config(str(tmp_path), {"CAMPAIGNS_ENV": "production"})
    config = load_config(str(tmp_path), {"CAMPAIGNS_ENV": "production", "SECRET_KEY": "s3cret"})
    assert config["SESSION_COOKIE_SECURE"] is True


def test_postgres_urls_use_psycopg(tmp_path) -> None:
    config = load_config(str(tmp_path), {"DATABASE_URL": "postgres://u@db/campaigns"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/campaigns"


def test_bad_timezone_is_refused(tmp_path) -> None:
    with pytest.raises(ConfigError, match="DEFAULT_TIMEZONE"):
        load_config(str(tmp_path), {"DEFAULT_TIMEZONE": "Nowhere/Land"})


def test_create_app_touches_no_database(tmp_path) -> None:
    url = f"sqlite:///{tmp_path}/never.sqlite3"
    create_app({"SQLALCHEMY_DATABASE_URI": url})
    assert not (tmp_path / "never.sqlite3").exists()


def test_flasks_usual_mail_settings(tmp_path) -> None:
    config = load_config(
        str(tmp_path),
        {
            "MAIL_SERVER": "smtp.example.org",
            "MAIL_PORT": "587",
            "MAIL_USERNAME": "receipts",
            "MAIL_PASSWORD": "s3cret",
            "MAIL_USE_TLS": "True",
            "MAIL_DEFAULT_SENDER": "News <giving@news.example.org>",
            "ORGANIZATION_ADDRESS": "12 Press Lane\\nSpringfield",
            "ORGANIZATION_TAX_ID": "EIN 12-3456789",
            "MY_GIVING_LINK_MINUTES": "30",
            "STATEMENT_LINK_DAYS": "90",
        },
    )
    assert config["MAIL_PORT"] == 587 and config["MAIL_USE_TLS"] is True
    assert config["MAIL_USE_SSL"] is False
    assert config["MY_GIVING_LINK_SECONDS"] == 1800
    assert config["STATEMENT_LINK_SECONDS"] == 90 * 86400
    assert not mailbox_enabled(config)
    assert sender_for(config) == "News <giving@news.example.org>"


def test_development_with_nothing_set_keeps_emails_in_the_mailbox(tmp_path) -> None:
    config = load_config(str(tmp_path), {})
    assert mailbox_enabled(config)
    assert sender_for(config) == "Independent Media <donations@localhost>"
    assert config["EMAIL_TEMPLATE_DIR"] == str(tmp_path / "templates")
    production = load_config(str(tmp_path), {"CAMPAIGNS_ENV": "production", "SECRET_KEY": "s"})
    assert not mailbox_enabled(production)
