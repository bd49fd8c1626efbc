from tests.matrix import row


def pages(env):
    return [("dashboard:home", "/", row(200, system_admin=302, security_admin=302, auditor=302))]
