"""Options as attributes: ``sock.linger = 0`` is ``sock.set(LINGER, 0)``, ``ctx.io_threads``
reads a context option. Names are matched case-insensitively against the option tables in
ringmq.constants; anything else is an ordinary attribute.
"""

from typing import Any, Optional, Tuple, Union

from ringmq import constants

OptionValue = Union[int, bytes]


def option_number(name: str, tables: Tuple[Any, ...] = (constants.SocketOption,)) -> Optional[int]:
    """The number of the option called `name` (any case) in `tables`, else None."""
    upper = name.upper()
    for table in tables:
        member = table.__members__.get(upper)
        if member is not None:
            return int(member)
    return None


def _declared(cls: type, name: str) -> bool:
    """Whether `cls` or a base defines `name` or annotates it."""
    return hasattr(cls, name) or any(name in getattr(base, "__annotations__", {}) for base in cls.__mro__)


class OptionAttributes:
    """Mixin for Socket and Context. Subclasses implement _set_option_attr and
    _get_option_attr; attributes the class defines or annotates (as pyzmq: a subclass may
    declare ``extra: str`` and assign it in __init__), or the instance already has, are
    never treated as options. `_option_tables` says which option names apply."""

    _option_tables: Tuple[Any, ...] = (constants.SocketOption,)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_") or name in self.__dict__ or _declared(type(self), name):
            object.__setattr__(self, name, value)
            return
        number = option_number(name, self._option_tables)
        if number is None:
            raise AttributeError(f"{type(self).__name__} has no option or attribute {name!r}")
        self._set_option_attr(name.upper(), number, value)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup failed.
        number = None if name.startswith("_") else option_number(name, type(self)._option_tables)
        if number is None:
            raise AttributeError(f"{type(self).__name__} has no option or attribute {name!r}")
        return self._get_option_attr(name.upper(), number)

    def _set_option_attr(self, name: str, number: int, value: Any) -> None:
        raise NotImplementedError

    def _get_option_attr(self, name: str, number: int) -> Any:
        raise NotImplementedError


__all__ = ["OptionAttributes", "OptionValue", "option_number"]
