"""Decorators that give a function a context or socket for the length of a call (pyzmq's
zmq.decorators)::

    from ringmq.decorators import context, socket

    @context()
    @socket(ringmq.PUSH)
    def work(ctx, push):
        ...

Each call makes a new Context (``@context``) or socket (``@socket``), passes it as the next
positional argument -- or as the keyword named by a leading str argument or ``name=`` -- and
closes it (terminates the context) when the function returns or raises.

``@socket`` takes its context, at call time, from the keyword argument ``context`` (renamed by
``context_name=``) if that is a Context, else from the first positional Context argument,
else Context.instance().
"""

import functools
from typing import Any, Callable, Dict, Optional, Tuple

from ringmq.context import Context

Factory = Callable[..., Any]


def _split_name(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Tuple[Optional[str], Tuple[Any, ...]]:
    """The keyword the object is passed as (None: positional) and the factory's arguments."""
    if isinstance(kwargs.get("name"), str):
        return kwargs.pop("name"), args
    if args and isinstance(args[0], str):
        return args[0], args[1:]
    return None, args


def _decorate(pick_factory: Callable[[Tuple[Any, ...], Dict[str, Any]], Factory], name: Optional[str],
              factory_args: Tuple[Any, ...], factory_kwargs: Dict[str, Any]) -> Callable[[Callable[..., Any]], Any]:
    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            factory = pick_factory(args, kwargs)
            with factory(*factory_args, **factory_kwargs) as obj:
                if name is None:
                    args = args + (obj,)
                elif name in kwargs:
                    raise TypeError(f"{func.__name__}() got multiple values for argument '{name}'")
                else:
                    kwargs[name] = obj
                return func(*args, **kwargs)

        return wrapper

    return decorator


def context(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
    """A new Context(*args, **kwargs) for each call of the decorated function."""
    name, args = _split_name(args, kwargs)
    return _decorate(lambda call_args, call_kwargs: Context, name, args, kwargs)


def socket(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
    """A new socket(*args, **kwargs) of the call's context for each call (see the module)."""
    name, args = _split_name(args, kwargs)
    context_name = kwargs.pop("context_name", "context")

    def pick_factory(call_args: Tuple[Any, ...], call_kwargs: Dict[str, Any]) -> Factory:
        ctx = call_kwargs.get(context_name)
        if not isinstance(ctx, Context):
            ctx = next((a for a in call_args if isinstance(a, Context)), None)
        if ctx is None:
            ctx = Context.instance()
        return ctx.socket  # type: ignore[no-any-return]

    return _decorate(pick_factory, name, args, kwargs)


__all__ = ["context", "socket"]
