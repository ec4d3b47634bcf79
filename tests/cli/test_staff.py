"""``flask staff create``: an account from the command line, its password read from stdin."""


def test_staff_create_command(runner, db) -> None:
    result = runner.invoke(
        args=["staff", "create", "Boss@Example.org", "--role", "admin", "--password-stdin"],
        input="a long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created admin account boss@example.org" in result.output
    again = runner.invoke(
        args=["staff", "create", "boss@example.org", "--password-stdin"],
        input="a long passphrase\n",
    )
    assert again.exit_code == 1
    assert "already exists" in again.stderr
    short = runner.invoke(
        args=["staff", "create", "x@example.org", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1
    assert "password: use at least 10 characters" in short.stderr
