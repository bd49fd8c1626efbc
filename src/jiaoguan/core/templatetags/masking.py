"""Template filters that mask personal data in pages."""

from django import template

from jiaoguan.core.idnumbers import mask_id_number, mask_phone, mask_registry_no

register = template.Library()
register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
register.filter("mask_registry", mask_registry_no)
