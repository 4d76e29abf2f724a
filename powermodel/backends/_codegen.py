"""Compile the scalar physics into kernels that are cached on disk, once per machine.

The physics of powermodel is written once, as plain Python functions of
scalars marked with :func:`powermodel.kernels._physics.physics`. A kernel
is a loop over arrays (a *template*: a plain function in a backend module,
or generated source) that calls them. :func:`kernel` writes the template,
every physics function it reaches and every constant they read into one
real Python module, imports it, and returns the numba dispatcher of the
loop. Because the module is a real file, numba's on-disk cache
(``cache=True``) works: a second process loads the machine code instead of
compiling it again (numba's cache cannot see functions built by ``exec``,
which is how the first versions of this module compiled them, so every
process paid ~25 s).

Two source transformations happen on the way, and nothing else:

- every float literal of a physics function is wrapped in the working
  precision (``real(2.0)``): numba types a Python float as float64, so
  ``2.0 * u`` would silently promote a float32 ``u``, halving the SIMD
  width and changing the rounding; float constants of the physics modules
  take the working precision too;
- a physics primitive with a faster implementation registered for the
  target with :func:`implements` (``pow`` on the CPU) is replaced by it.

The generated file's name holds a SHA-256 of its whole text (the sources
of the template and of every physics function, the constants' values, the
target and precision) and of the Python, numba and llvmlite versions, so an
edited equation or an upgraded compiler writes a new file and nothing stale
ever runs. numba keys its own cache entries on the CPU model as well.

Where the files go: ``POWERMODEL_CACHE_DIR``, else the user cache directory
(``platformdirs.user_cache_dir("powermodel")``). Files are created
atomically (written aside, then linked into place), so processes that
compile at once (Dask workers, pytest-xdist) are safe: they write the same
bytes, and the first one in wins. A cache directory that cannot be written
gives one :class:`KernelCacheWarning` and the kernels are compiled in
memory instead, as before; never an error.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import inspect
import linecache
import os
import sys
import tempfile
import textwrap
import threading
import types
import warnings
from pathlib import Path

import numpy as np

from powermodel.kernels._physics import is_physics, physics, real

__all__ = [
    "CPU_FASTMATH",
    "CPU_JIT_OPTIONS",
    "KernelCacheWarning",
    "cache_dir",
    "clear_cache",
    "compile_physics",
    "implements",
    "kernel",
]

#: LLVM fast-math flags for CPU kernels: reassociation (vectorised sums),
#: contraction (FMA), reciprocal and approximate functions, signed zeros --
#: but not ``nnan``/``ninf``, so NaN inputs still give NaN outputs.
CPU_FASTMATH = frozenset({"contract", "reassoc", "arcp", "nsz", "afn"})

#: Options for every CPU kernel and physics function: the numpy error model
#: (a division by zero gives inf or NaN instead of raising, which would put a
#: branch in every loop and stop vectorisation) and the fast-math flags above.
CPU_JIT_OPTIONS = {"error_model": "numpy", "fastmath": set(CPU_FASTMATH)}

PRECISIONS = ("float32", "float64")
TARGETS = ("cpu", "cuda")

#: Package name under which generated modules are registered in ``sys.modules``.
GENERATED_PACKAGE = "powermodel_generated_kernels"

#: Environment variable naming the cache directory.
CACHE_ENV = "POWERMODEL_CACHE_DIR"


class KernelCacheWarning(RuntimeWarning):
    """The kernel cache directory cannot be used; kernels compile in memory."""


# ---------------------------------------------------------------- registry

_TARGET_IMPLEMENTATIONS: dict = {}


def implements(func, target: str, precision: str | None = None):
    """Register a faster implementation of the primitive ``func`` for ``target``.

    Only for mathematical primitives (``pow``), never for physics: the
    registered function must compute the same mathematical function as
    ``func``, and the tests compare the two. ``precision`` restricts it to
    float32 or float64 kernels. CUDA implementations may use NVIDIA's
    ``libdevice`` functions through the global name ``libdevice``.
    """

    def register(implementation):
        physics(implementation)
        _TARGET_IMPLEMENTATIONS[(func, target, precision)] = implementation
        return implementation

    return register


def _implementation(func, target: str, precision: str):
    # the target-specific primitives register themselves on import
    from powermodel.backends import _fastmath  # noqa: F401

    return _TARGET_IMPLEMENTATIONS.get(
        (func, target, precision), _TARGET_IMPLEMENTATIONS.get((func, target, None), func)
    )


# ---------------------------------------------------------- where files go


def _simulated() -> bool:
    return os.environ.get("NUMBA_ENABLE_CUDASIM", "0") == "1"


@functools.cache
def cache_dir() -> Path | None:
    """The directory of generated kernel modules, or None to compile in memory.

    ``POWERMODEL_CACHE_DIR`` if set, else ``platformdirs.user_cache_dir
    ("powermodel")``; ``kernels/`` inside either. Created if missing.
    Returns None, with one :class:`KernelCacheWarning`, when it cannot be
    created or written.
    """
    configured = os.environ.get(CACHE_ENV)
    if configured:
        root = Path(configured).expanduser()
    else:
        import platformdirs

        root = Path(platformdirs.user_cache_dir("powermodel", appauthor=False))
    directory = root / "kernels"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".probe-"):
            pass
    except OSError as error:
        warnings.warn(
            f"powermodel: the kernel cache {directory} cannot be used ({error}); "
            f"kernels are compiled in memory in each process. Set {CACHE_ENV} to a "
            "writable directory to compile them once per machine.",
            KernelCacheWarning,
            stacklevel=2,
        )
        return None
    return directory


def clear_cache() -> int:
    """Delete the generated kernel modules and numba's cache files; the count removed.

    Safe at any time: a process that needs a kernel again writes and compiles
    it anew (processes running now keep the modules they imported).
    """
    directory = cache_dir()
    if directory is None:
        return 0
    removed = 0
    for path in sorted(directory.rglob("*"), reverse=True):  # files before their folders
        if path.is_file() and (path.suffix in (".py", ".nbi", ".nbc", ".tmp", ".pyc")):
            path.unlink(missing_ok=True)
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return removed


def _versions(target: str) -> str:
    import llvmlite
    import numba

    parts = [sys.version, f"numba {numba.__version__}", f"llvmlite {llvmlite.__version__}"]
    if target == "cuda":
        try:
            from importlib.metadata import version

            parts.append(f"numba-cuda {version('numba-cuda')}")
        except Exception:  # not installed as a distribution: numba's own CUDA
            pass
        parts.append(f"simulator {_simulated()}")
    return "\n".join(parts)


# ------------------------------------------------------- the source writer


def _real_call(node):
    call = ast.Call(func=ast.Name(id="_pm_real", ctx=ast.Load()), args=[node], keywords=[])
    return ast.copy_location(call, node)


class _WrapFloatLiterals(ast.NodeTransformer):
    """Rewrite each float literal ``1.5`` as ``_pm_real(1.5)``, and ``math.pi`` alike.

    ``math.pi``, ``math.e``, ``math.tau``, ``math.inf`` and ``math.nan`` are
    float64 constants too: ``2.0 * math.pi * x`` would promote a float32 ``x``.
    """

    MATH_CONSTANTS = frozenset({"pi", "e", "tau", "inf", "nan"})

    def visit_Constant(self, node):
        return _real_call(node) if type(node.value) is float else node

    def visit_Attribute(self, node):
        if (
            isinstance(node.value, ast.Name)
            and node.value.id == "math"
            and node.attr in self.MATH_CONSTANTS
            and isinstance(node.ctx, ast.Load)
        ):
            return _real_call(node)
        return self.generic_visit(node)


class _Rename(ast.NodeTransformer):
    def __init__(self, names: dict[str, str]):
        self.names = names

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load) and node.id in self.names:
            return ast.copy_location(ast.Name(id=self.names[node.id], ctx=node.ctx), node)
        return node


def _importable(value) -> tuple[str, str] | None:
    """``(module, name)`` under which ``value`` can be imported, if any."""
    module = getattr(value, "__module__", None)
    name = getattr(value, "__name__", None)
    if module and name and getattr(sys.modules.get(module), name, None) is value:
        return module, name
    return None


class _ModuleWriter:
    """Collects the functions and constants of one generated module."""

    def __init__(self, target: str, precision: str, cache: bool):
        self.target = target
        self.precision = precision
        self.cache = cache
        self.header: list[str] = []
        self.body: list[str] = []
        self.bound: dict[str, object] = {}  # generated name -> value
        self.functions: dict[int, str] = {}  # id(physics function) -> generated name

    # names ---------------------------------------------------------------

    def _same(self, a, b) -> bool:
        if a is b:
            return True
        scalar = (bool, int, float, str, np.generic)
        return isinstance(a, scalar) and type(a) is type(b) and a == b

    def _claim(self, name: str, value, prefix: str) -> tuple[str, bool]:
        """A free generated name for ``value``; True if it is new."""
        candidate = name
        counter = 0
        while candidate in self.bound:
            if self._same(self.bound[candidate], value):
                return candidate, False
            counter += 1
            candidate = f"{prefix}__{name}" if counter == 1 else f"{prefix}__{name}_{counter}"
        self.bound[candidate] = value
        return candidate, True

    def bind(self, name: str, value, prefix: str) -> str:
        """The generated name of the global ``name`` = ``value``, emitting it."""
        if is_physics(value):
            return self.physics(value)
        if value is real:
            return "_pm_real"
        generated, new = self._claim(name, value, prefix)
        if not new:
            return generated
        if name == "libdevice" and value is None:  # _fastmath's placeholder
            if self.target != "cuda":
                raise TypeError(f"{prefix}: libdevice is only available on the CUDA target")
            if _simulated():
                origin = "from powermodel.backends._fastmath import _SimulatedLibdevice"
            else:
                origin = "from numba.cuda import libdevice"
            self.header.append(f"{origin} as {generated}")
        elif isinstance(value, types.ModuleType):
            self.header.append(f"import {value.__name__} as {generated}")
        elif type(value) is float:
            # module constants take the working precision too
            self.header.append(f"{generated} = _pm_np.{self.precision}({value!r})")
        elif isinstance(value, np.floating):
            self.header.append(f"{generated} = _pm_np.{type(value).__name__}({float(value)!r})")
        elif type(value) in (bool, int, str) or (
            type(value) is tuple and all(type(v) in (bool, int, float, str) for v in value)
        ):
            self.header.append(f"{generated} = {value!r}")
        elif (where := _importable(value)) is not None:
            self.header.append(f"from {where[0]} import {where[1]} as {generated}")
        else:
            raise TypeError(
                f"{prefix}: the global {name!r} ({type(value).__name__}) cannot be "
                "written into a generated kernel module; use a number, a tuple of "
                "numbers, a module, an importable function or a physics function"
            )
        return generated

    # functions -----------------------------------------------------------

    def _globals_of(self, func, tree, overrides=None) -> dict[str, str]:
        """Rename map of the global names ``func``'s source reads."""
        overrides = overrides or {}
        local = set(func.__code__.co_varnames) | set(func.__code__.co_cellvars)
        loads = {
            node.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        }
        prefix = func.__module__.removeprefix("powermodel.").replace(".", "_")
        names = {}
        for name in sorted(loads - local):
            if name in overrides:
                value = overrides[name]
            elif name in func.__globals__:
                value = func.__globals__[name]
            else:
                continue  # a builtin: min, max, range, float, ...
            names[name] = self.bind(name, value, prefix)
        return names

    def _source(self, func) -> ast.Module:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
        definition = tree.body[0]
        if not isinstance(definition, ast.FunctionDef):
            raise TypeError(f"{func.__qualname__}: expected a plain function definition")
        definition.decorator_list = []
        return tree

    def physics(self, func) -> str:
        """Emit the physics function ``func`` (and what it calls); its generated name."""
        if id(func) in self.functions:
            return self.functions[id(func)]
        prefix = func.__module__.removeprefix("powermodel.").replace(".", "_")
        generated, _ = self._claim(func.__name__, func, prefix)
        self.functions[id(func)] = generated
        implementation = _implementation(func, self.target, self.precision)
        tree = self._source(implementation)
        names = self._globals_of(implementation, tree)
        tree = _Rename(names).visit(_WrapFloatLiterals().visit(tree))
        tree.body[0].name = generated
        if self.target == "cpu":
            inline = "always" if getattr(func, "__powermodel_inline__", True) else "never"
            decorator = f"@_pm_numba.njit(**_PM_CPU, inline={inline!r}, cache={self.cache})"
        else:
            decorator = "@_pm_cuda.jit(device=True)"
        self._emit(implementation, decorator, tree)
        return generated

    def loop(self, template, name: str, bindings: dict, parallel: bool, nogil: bool = False) -> str:
        """Emit the loop ``template`` (a function or source text) as kernel ``name``."""
        if isinstance(template, str):
            namespace: dict = {}
            exec(template, namespace)  # only to learn its local variables
            func = next(v for v in namespace.values() if isinstance(v, types.FunctionType))
            func.__module__ = "powermodel.backends._codegen"
            tree = ast.parse(template)
            tree.body[0].decorator_list = []
            origin = None
        else:
            func = template
            tree = self._source(template)
            origin = template
        names = self._globals_of(func, tree, overrides=bindings)
        missing = set(bindings) - set(names)
        if missing:
            raise TypeError(f"{name}: bindings {sorted(missing)} are not used by the template")
        tree = _Rename(names).visit(tree)
        generated, _ = self._claim(name, template, "kernel")
        tree.body[0].name = generated
        if self.target == "cpu":
            release = ", nogil=True" if nogil else ""
            decorator = (
                f"@_pm_numba.njit(**_PM_CPU, parallel={parallel}{release}, cache={self.cache})"
            )
        else:
            decorator = f"@_pm_cuda.jit(cache={self.cache})"
        self._emit(origin, decorator, tree)
        return generated

    def _emit(self, origin, decorator: str, tree: ast.Module) -> None:
        ast.fix_missing_locations(tree)
        if origin is not None:
            file = inspect.getsourcefile(origin) or "?"
            try:
                file = str(Path(file).relative_to(Path(__file__).parents[2]))
            except ValueError:
                pass
            where = f"# {origin.__module__}.{origin.__qualname__} ({file})"
        else:
            where = "# generated loop"
        self.body.append(f"\n\n{where}\n{decorator}\n{ast.unparse(tree)}")

    def text(self) -> str:
        if self.target == "cpu":
            real_type = f"_pm_numba.{self.precision}"
        else:
            real_type = (
                f"_pm_np.{self.precision}" if _simulated() else f"_pm_numba.{self.precision}"
            )
        lines = [
            f'"""Generated by powermodel.backends._codegen ({self.target}, {self.precision}).',
            "",
            "Do not edit: it is rewritten from the physics sources, under a new name,",
            'whenever they change."""',
            "",
            "import numba as _pm_numba",
            "import numpy as _pm_np",
        ]
        if self.target == "cuda":
            lines.append("from numba import cuda as _pm_cuda")
        lines += [
            "",
            f"_pm_real = {real_type}",
            f"_PM_CPU = dict(error_model='numpy', fastmath=set({sorted(CPU_FASTMATH)!r}))",
            "",
            *self.header,
            *self.body,
            "",
        ]
        return "\n".join(lines)


# ------------------------------------------------------------ the modules


#: Held while a generated module is written and imported: threads that need the same
#: kernel at once (workload.generate draws scenarios in threads) wait for one build.
_LOADING = threading.RLock()


def _load(source: str, stem: str) -> types.ModuleType:
    """Import the generated ``source``, from the cache directory when possible.

    Called with :data:`_LOADING` held (:func:`_build`).
    """
    directory = cache_dir()
    name = f"{GENERATED_PACKAGE}.{stem}"
    if name in sys.modules:
        return sys.modules[name]
    if directory is None:
        return _exec_in_memory(source, name)
    path = directory / f"{stem}.py"
    if not path.exists():
        try:
            _create(path, source)
        except OSError as error:
            warnings.warn(
                f"powermodel: cannot write {path} ({error}); this kernel is compiled in memory",
                KernelCacheWarning,
                stacklevel=3,
            )
            return _exec_in_memory(source.replace("cache=True", "cache=False"), name)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _create(path: Path, source: str) -> None:
    """Write ``path`` atomically, leaving a file another process made first alone."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(source)
        try:
            os.link(temporary, path)  # fails if it exists: keeps the first file's stamp
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _exec_in_memory(source: str, name: str) -> types.ModuleType:
    source = source.replace("cache=True", "cache=False")
    filename = f"<{name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    module = types.ModuleType(name)
    module.__file__ = filename
    sys.modules[name] = module
    exec(compile(source, filename, "exec"), module.__dict__)
    return module


def _check(target: str, precision: str) -> None:
    if target not in TARGETS:
        raise ValueError(f"target: {target!r} is not one of {TARGETS}")
    if precision not in PRECISIONS:
        raise ValueError(f"precision: {precision!r} is not one of {PRECISIONS}")


def _build(name: str, target: str, precision: str, write) -> object:
    """Generate, hash, load; return the object named by ``write(writer)``."""
    cache = cache_dir() is not None and not (target == "cuda" and _simulated())
    # one thread at a time: CPython 3.11's ast.parse is not safe from several threads at
    # once ("AST constructor recursion depth mismatch", seen with workload's threads)
    with _LOADING:
        writer = _ModuleWriter(target, precision, cache)
        generated = write(writer)
        source = writer.text()
        module = _load(source, _stem(name, target, precision, source))
    return getattr(module, generated)


def _stem(name: str, target: str, precision: str, source: str) -> str:
    """File stem of a generated module: its name, target, precision and content hash."""
    digest = hashlib.sha256((source + _versions(target)).encode()).hexdigest()[:20]
    return f"{name}_{target}_{precision}_{digest}"


@functools.cache
def compile_physics(func, target: str, precision: str):
    """Compile the physics function ``func`` for ``target`` and ``precision``.

    Parameters
    ----------
    func : callable
        A function marked with :func:`powermodel.kernels._physics.physics`.
    target : {"cpu", "cuda"}
        ``"cpu"`` gives a ``numba.njit(inline="always")`` function
        (``"never"`` for functions marked ``@physics(inline=False)``),
        ``"cuda"`` a ``numba.cuda.jit(device=True)`` function.
    precision : {"float32", "float64"}
        The floating-point type of the literals and of ``real``.

    Returns
    -------
    numba dispatcher
        Cached: the same arguments return the same object.
    """
    if not is_physics(func):
        raise TypeError(f"func: {func!r} is not marked as a physics function")
    _check(target, precision)
    return _build(func.__name__, target, precision, lambda writer: writer.physics(func))


def kernel(
    name: str,
    template,
    target: str,
    precision: str = "float64",
    *,
    parallel: bool = True,
    nogil: bool = False,
    **bindings,
):
    """The compiled loop ``template`` for ``target`` and ``precision``, cached on disk.

    Parameters
    ----------
    name : str
        Short name of the kernel (part of the generated file's name).
    template : function or str
        The loop: a plain function (its source is used) or the source text
        of one function definition. Global names it reads resolve as in its
        module, except those given in ``bindings``. Physics functions among
        them are compiled for ``target`` and ``precision``; float literals
        of the loop itself stay as written (float64 accumulators).
    target : {"cpu", "cuda"}
        ``"cpu"``: ``numba.njit(parallel=parallel)`` with
        :data:`CPU_JIT_OPTIONS`; ``"cuda"``: a ``numba.cuda.jit`` kernel.
    precision : {"float32", "float64"}
        The working precision of the physics.
    parallel : bool
        CPU only: compile ``prange`` loops as parallel.
    nogil : bool
        CPU only: release the GIL while the kernel runs, for serial kernels
        that Python threads call at once (one scenario each).
    **bindings
        Values of the template's free names: physics functions, numbers,
        tuples of numbers, modules or importable functions.

    Returns
    -------
    numba dispatcher
        The same object for the same arguments within a process.
    """
    _check(target, precision)
    bound = tuple(sorted(bindings.items()))
    return _kernel(name, template, target, precision, parallel, nogil, bound)


@functools.cache
def _kernel(name, template, target, precision, parallel, nogil, bindings):
    return _build(
        name,
        target,
        precision,
        lambda writer: writer.loop(template, name, dict(bindings), parallel, nogil),
    )
