"""kexlab.py: gdb commands for reading kexlab's values (docs/debugging.md).

Load it in gdb with
    (gdb) source scripts/gdb/kexlab.py
Then:
    kl-mpz EXPR        an mpz_t (or mpz_ptr, mpz_srcptr, __mpz_struct) in
                       decimal and hex, read from its limbs:
                         n = 3233 (0xca1), 1 limb
    kl-hex PTR LEN     LEN bytes from address PTR as lowercase hex, 32 bytes
                       a line with the offset in front
and `print` shows any GMP integer in decimal (a pretty-printer for
__mpz_struct), so `p key.d` or `p *ctx` read as numbers, not as limb
pointers.

How an mpz_t is laid out (gmp.h): mpz_t is __mpz_struct[1] with
    _mp_alloc   limbs allocated
    _mp_size    limbs in use; negative for a negative number, 0 for zero
    _mp_d       pointer to the limbs, least significant first
so the value is sign(_mp_size) * sum(_mp_d[i] * 2^(i * bits per limb)).
"""
import gdb


def _mpz_struct(value):
    """The __mpz_struct behind an mpz_t, a pointer to one, or the struct."""
    t = value.type.strip_typedefs()
    if t.code == gdb.TYPE_CODE_ARRAY:
        value = value[0]
    elif t.code == gdb.TYPE_CODE_PTR:
        value = value.dereference()
    if not _is_mpz_struct(value.type):
        raise gdb.GdbError("not a GMP integer (mpz_t, mpz_ptr or __mpz_struct): %s" % value.type)
    return value


def _is_mpz_struct(t):
    """gmp.h: typedef struct {...} __mpz_struct; the struct has no tag."""
    t = t.unqualified()
    names = {str(t), t.strip_typedefs().tag}
    fields = t.strip_typedefs()
    return "__mpz_struct" in names and fields.code == gdb.TYPE_CODE_STRUCT


def mpz_to_int(value):
    """The Python integer an mpz_t holds, read limb by limb."""
    z = _mpz_struct(value)
    size = int(z["_mp_size"])
    limbs = z["_mp_d"]
    limb_bits = 8 * limbs.type.target().strip_typedefs().sizeof
    result = 0
    for i in reversed(range(abs(size))):
        result = (result << limb_bits) | int(limbs[i])
    return (-result if size < 0 else result), abs(size)


def _hex(x):
    return ("-0x%x" % -x) if x < 0 else ("0x%x" % x)


class KlMpz(gdb.Command):
    """kl-mpz EXPR: print a GMP integer in decimal and hex (docs/debugging.md)."""

    def __init__(self):
        super().__init__("kl-mpz", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: kl-mpz EXPR   (an mpz_t, e.g. kl-mpz key->n)")
        x, nlimbs = mpz_to_int(gdb.parse_and_eval(arg))
        gdb.write("%s = %d (%s), %d limb%s\n" % (arg.strip(), x, _hex(x), nlimbs,
                                                 "" if nlimbs == 1 else "s"))


class KlHex(gdb.Command):
    """kl-hex PTR LEN: print LEN bytes at PTR as hex, 32 a line (docs/debugging.md)."""

    def __init__(self):
        super().__init__("kl-hex", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if len(args) != 2:
            raise gdb.GdbError("usage: kl-hex PTR LEN   (e.g. kl-hex data len, kl-hex s 16)")
        ptr = gdb.parse_and_eval(args[0])
        if ptr.type.strip_typedefs().code == gdb.TYPE_CODE_ARRAY:
            ptr = ptr.address
        addr = int(ptr.cast(gdb.lookup_type("unsigned long")))
        length = int(gdb.parse_and_eval(args[1]))
        if length < 0:
            raise gdb.GdbError("kl-hex: LEN must not be negative")
        data = bytes(gdb.selected_inferior().read_memory(addr, length)) if length else b""
        if length <= 32:
            gdb.write(data.hex() + "\n")
            return
        for off in range(0, length, 32):
            gdb.write("%04x: %s\n" % (off, data[off:off + 32].hex()))


class MpzPrinter:
    """`print` of a GMP integer: its value in decimal."""

    def __init__(self, value):
        self.value = value

    def to_string(self):
        x, _ = mpz_to_int(self.value)
        return "%d" % x


def _lookup(value):
    if _is_mpz_struct(value.type):
        return MpzPrinter(value)
    return None


KlMpz()
KlHex()
gdb.pretty_printers.append(_lookup)
