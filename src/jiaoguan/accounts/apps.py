from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jiaoguan.accounts"
    verbose_name = _("Accounts")

    def declare(self):
        from jiaoguan.core.access import can_manage_accounts, can_manage_roles
        from jiaoguan.core.house import Declaration, MenuEntry

        return Declaration(
            about="Users, their roles and scopes, sign-in, the three separated administrator duties",
            menu=(MenuEntry(_("Users"), "accounts:user_list",
                            lambda actor: can_manage_accounts(actor) or can_manage_roles(actor), 99),),
        )
