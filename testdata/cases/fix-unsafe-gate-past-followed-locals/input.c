/* Tests: a test on the way to a lazy fill reads what the automatic
 * locals it names were given, up to a bound of locals per test
 * (MAX_FOLLOWED_LOCALS, 128); a local past the bound holds what oncevar
 * does not know, so the fix is unsafe and the reason names that local,
 * not a process-wide object. Before, a local past the bound (then 8)
 * was taken to read nothing: a chain of copies of `!loaded`, or `first`
 * after many per-call locals, left the fill safe, and every later
 * interpreter would have skipped it and found its slot empty. Contrast
 * that stay safe: a test of a dozen per-call locals; a helper's parameter
 * tested on the way, given a per-call local by each of 70 callers (the
 * chains are short: the bound is on a chain, 128, and on all the locals
 * of one test, 1,024). */
#include <Python.h>

static int loaded;
static int seen;
static PyObject *chained;               /*~ OV101 chained */
static PyObject *crowded;               /*~ OV101 crowded */
static PyObject *per_call;              /*~ OV101 per_call */
static PyObject *fanned_in;             /*~ OV101 fanned_in */

/* `!loaded` through 130 copies: past the bound. */
static PyObject *
get_chained(PyObject *self, PyObject *unused)
{
    int a0 = !loaded;
    loaded = 1;
    int a1 = a0;
    int a2 = a1;
    int a3 = a2;
    int a4 = a3;
    int a5 = a4;
    int a6 = a5;
    int a7 = a6;
    int a8 = a7;
    int a9 = a8;
    int a10 = a9;
    int a11 = a10;
    int a12 = a11;
    int a13 = a12;
    int a14 = a13;
    int a15 = a14;
    int a16 = a15;
    int a17 = a16;
    int a18 = a17;
    int a19 = a18;
    int a20 = a19;
    int a21 = a20;
    int a22 = a21;
    int a23 = a22;
    int a24 = a23;
    int a25 = a24;
    int a26 = a25;
    int a27 = a26;
    int a28 = a27;
    int a29 = a28;
    int a30 = a29;
    int a31 = a30;
    int a32 = a31;
    int a33 = a32;
    int a34 = a33;
    int a35 = a34;
    int a36 = a35;
    int a37 = a36;
    int a38 = a37;
    int a39 = a38;
    int a40 = a39;
    int a41 = a40;
    int a42 = a41;
    int a43 = a42;
    int a44 = a43;
    int a45 = a44;
    int a46 = a45;
    int a47 = a46;
    int a48 = a47;
    int a49 = a48;
    int a50 = a49;
    int a51 = a50;
    int a52 = a51;
    int a53 = a52;
    int a54 = a53;
    int a55 = a54;
    int a56 = a55;
    int a57 = a56;
    int a58 = a57;
    int a59 = a58;
    int a60 = a59;
    int a61 = a60;
    int a62 = a61;
    int a63 = a62;
    int a64 = a63;
    int a65 = a64;
    int a66 = a65;
    int a67 = a66;
    int a68 = a67;
    int a69 = a68;
    int a70 = a69;
    int a71 = a70;
    int a72 = a71;
    int a73 = a72;
    int a74 = a73;
    int a75 = a74;
    int a76 = a75;
    int a77 = a76;
    int a78 = a77;
    int a79 = a78;
    int a80 = a79;
    int a81 = a80;
    int a82 = a81;
    int a83 = a82;
    int a84 = a83;
    int a85 = a84;
    int a86 = a85;
    int a87 = a86;
    int a88 = a87;
    int a89 = a88;
    int a90 = a89;
    int a91 = a90;
    int a92 = a91;
    int a93 = a92;
    int a94 = a93;
    int a95 = a94;
    int a96 = a95;
    int a97 = a96;
    int a98 = a97;
    int a99 = a98;
    int a100 = a99;
    int a101 = a100;
    int a102 = a101;
    int a103 = a102;
    int a104 = a103;
    int a105 = a104;
    int a106 = a105;
    int a107 = a106;
    int a108 = a107;
    int a109 = a108;
    int a110 = a109;
    int a111 = a110;
    int a112 = a111;
    int a113 = a112;
    int a114 = a113;
    int a115 = a114;
    int a116 = a115;
    int a117 = a116;
    int a118 = a117;
    int a119 = a118;
    int a120 = a119;
    int a121 = a120;
    int a122 = a121;
    int a123 = a122;
    int a124 = a123;
    int a125 = a124;
    int a126 = a125;
    int a127 = a126;
    int a128 = a127;
    int a129 = a128;
    if (a129) {
        if (chained == NULL)
            chained = PyUnicode_FromString("chained");
    }
    return Py_XNewRef(chained);
}

/* `first` (`!seen`) after 130 per-call locals in one test. */
static PyObject *
get_crowded(PyObject *self, PyObject *arg)
{
    int first = !seen;
    seen = 1;
    int c0 = PyObject_IsTrue(arg) + 0;
    int c1 = PyObject_IsTrue(arg) + 1;
    int c2 = PyObject_IsTrue(arg) + 2;
    int c3 = PyObject_IsTrue(arg) + 3;
    int c4 = PyObject_IsTrue(arg) + 4;
    int c5 = PyObject_IsTrue(arg) + 5;
    int c6 = PyObject_IsTrue(arg) + 6;
    int c7 = PyObject_IsTrue(arg) + 7;
    int c8 = PyObject_IsTrue(arg) + 8;
    int c9 = PyObject_IsTrue(arg) + 9;
    int c10 = PyObject_IsTrue(arg) + 10;
    int c11 = PyObject_IsTrue(arg) + 11;
    int c12 = PyObject_IsTrue(arg) + 12;
    int c13 = PyObject_IsTrue(arg) + 13;
    int c14 = PyObject_IsTrue(arg) + 14;
    int c15 = PyObject_IsTrue(arg) + 15;
    int c16 = PyObject_IsTrue(arg) + 16;
    int c17 = PyObject_IsTrue(arg) + 17;
    int c18 = PyObject_IsTrue(arg) + 18;
    int c19 = PyObject_IsTrue(arg) + 19;
    int c20 = PyObject_IsTrue(arg) + 20;
    int c21 = PyObject_IsTrue(arg) + 21;
    int c22 = PyObject_IsTrue(arg) + 22;
    int c23 = PyObject_IsTrue(arg) + 23;
    int c24 = PyObject_IsTrue(arg) + 24;
    int c25 = PyObject_IsTrue(arg) + 25;
    int c26 = PyObject_IsTrue(arg) + 26;
    int c27 = PyObject_IsTrue(arg) + 27;
    int c28 = PyObject_IsTrue(arg) + 28;
    int c29 = PyObject_IsTrue(arg) + 29;
    int c30 = PyObject_IsTrue(arg) + 30;
    int c31 = PyObject_IsTrue(arg) + 31;
    int c32 = PyObject_IsTrue(arg) + 32;
    int c33 = PyObject_IsTrue(arg) + 33;
    int c34 = PyObject_IsTrue(arg) + 34;
    int c35 = PyObject_IsTrue(arg) + 35;
    int c36 = PyObject_IsTrue(arg) + 36;
    int c37 = PyObject_IsTrue(arg) + 37;
    int c38 = PyObject_IsTrue(arg) + 38;
    int c39 = PyObject_IsTrue(arg) + 39;
    int c40 = PyObject_IsTrue(arg) + 40;
    int c41 = PyObject_IsTrue(arg) + 41;
    int c42 = PyObject_IsTrue(arg) + 42;
    int c43 = PyObject_IsTrue(arg) + 43;
    int c44 = PyObject_IsTrue(arg) + 44;
    int c45 = PyObject_IsTrue(arg) + 45;
    int c46 = PyObject_IsTrue(arg) + 46;
    int c47 = PyObject_IsTrue(arg) + 47;
    int c48 = PyObject_IsTrue(arg) + 48;
    int c49 = PyObject_IsTrue(arg) + 49;
    int c50 = PyObject_IsTrue(arg) + 50;
    int c51 = PyObject_IsTrue(arg) + 51;
    int c52 = PyObject_IsTrue(arg) + 52;
    int c53 = PyObject_IsTrue(arg) + 53;
    int c54 = PyObject_IsTrue(arg) + 54;
    int c55 = PyObject_IsTrue(arg) + 55;
    int c56 = PyObject_IsTrue(arg) + 56;
    int c57 = PyObject_IsTrue(arg) + 57;
    int c58 = PyObject_IsTrue(arg) + 58;
    int c59 = PyObject_IsTrue(arg) + 59;
    int c60 = PyObject_IsTrue(arg) + 60;
    int c61 = PyObject_IsTrue(arg) + 61;
    int c62 = PyObject_IsTrue(arg) + 62;
    int c63 = PyObject_IsTrue(arg) + 63;
    int c64 = PyObject_IsTrue(arg) + 64;
    int c65 = PyObject_IsTrue(arg) + 65;
    int c66 = PyObject_IsTrue(arg) + 66;
    int c67 = PyObject_IsTrue(arg) + 67;
    int c68 = PyObject_IsTrue(arg) + 68;
    int c69 = PyObject_IsTrue(arg) + 69;
    int c70 = PyObject_IsTrue(arg) + 70;
    int c71 = PyObject_IsTrue(arg) + 71;
    int c72 = PyObject_IsTrue(arg) + 72;
    int c73 = PyObject_IsTrue(arg) + 73;
    int c74 = PyObject_IsTrue(arg) + 74;
    int c75 = PyObject_IsTrue(arg) + 75;
    int c76 = PyObject_IsTrue(arg) + 76;
    int c77 = PyObject_IsTrue(arg) + 77;
    int c78 = PyObject_IsTrue(arg) + 78;
    int c79 = PyObject_IsTrue(arg) + 79;
    int c80 = PyObject_IsTrue(arg) + 80;
    int c81 = PyObject_IsTrue(arg) + 81;
    int c82 = PyObject_IsTrue(arg) + 82;
    int c83 = PyObject_IsTrue(arg) + 83;
    int c84 = PyObject_IsTrue(arg) + 84;
    int c85 = PyObject_IsTrue(arg) + 85;
    int c86 = PyObject_IsTrue(arg) + 86;
    int c87 = PyObject_IsTrue(arg) + 87;
    int c88 = PyObject_IsTrue(arg) + 88;
    int c89 = PyObject_IsTrue(arg) + 89;
    int c90 = PyObject_IsTrue(arg) + 90;
    int c91 = PyObject_IsTrue(arg) + 91;
    int c92 = PyObject_IsTrue(arg) + 92;
    int c93 = PyObject_IsTrue(arg) + 93;
    int c94 = PyObject_IsTrue(arg) + 94;
    int c95 = PyObject_IsTrue(arg) + 95;
    int c96 = PyObject_IsTrue(arg) + 96;
    int c97 = PyObject_IsTrue(arg) + 97;
    int c98 = PyObject_IsTrue(arg) + 98;
    int c99 = PyObject_IsTrue(arg) + 99;
    int c100 = PyObject_IsTrue(arg) + 100;
    int c101 = PyObject_IsTrue(arg) + 101;
    int c102 = PyObject_IsTrue(arg) + 102;
    int c103 = PyObject_IsTrue(arg) + 103;
    int c104 = PyObject_IsTrue(arg) + 104;
    int c105 = PyObject_IsTrue(arg) + 105;
    int c106 = PyObject_IsTrue(arg) + 106;
    int c107 = PyObject_IsTrue(arg) + 107;
    int c108 = PyObject_IsTrue(arg) + 108;
    int c109 = PyObject_IsTrue(arg) + 109;
    int c110 = PyObject_IsTrue(arg) + 110;
    int c111 = PyObject_IsTrue(arg) + 111;
    int c112 = PyObject_IsTrue(arg) + 112;
    int c113 = PyObject_IsTrue(arg) + 113;
    int c114 = PyObject_IsTrue(arg) + 114;
    int c115 = PyObject_IsTrue(arg) + 115;
    int c116 = PyObject_IsTrue(arg) + 116;
    int c117 = PyObject_IsTrue(arg) + 117;
    int c118 = PyObject_IsTrue(arg) + 118;
    int c119 = PyObject_IsTrue(arg) + 119;
    int c120 = PyObject_IsTrue(arg) + 120;
    int c121 = PyObject_IsTrue(arg) + 121;
    int c122 = PyObject_IsTrue(arg) + 122;
    int c123 = PyObject_IsTrue(arg) + 123;
    int c124 = PyObject_IsTrue(arg) + 124;
    int c125 = PyObject_IsTrue(arg) + 125;
    int c126 = PyObject_IsTrue(arg) + 126;
    int c127 = PyObject_IsTrue(arg) + 127;
    int c128 = PyObject_IsTrue(arg) + 128;
    int c129 = PyObject_IsTrue(arg) + 129;
    if (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15 + c16 + c17 + c18 + c19 + c20 + c21 + c22 + c23 + c24 + c25 + c26 + c27 + c28 + c29 + c30 + c31 + c32 + c33 + c34 + c35 + c36 + c37 + c38 + c39 + c40 + c41 + c42 + c43 + c44 + c45 + c46 + c47 + c48 + c49 + c50 + c51 + c52 + c53 + c54 + c55 + c56 + c57 + c58 + c59 + c60 + c61 + c62 + c63 + c64 + c65 + c66 + c67 + c68 + c69 + c70 + c71 + c72 + c73 + c74 + c75 + c76 + c77 + c78 + c79 + c80 + c81 + c82 + c83 + c84 + c85 + c86 + c87 + c88 + c89 + c90 + c91 + c92 + c93 + c94 + c95 + c96 + c97 + c98 + c99 + c100 + c101 + c102 + c103 + c104 + c105 + c106 + c107 + c108 + c109 + c110 + c111 + c112 + c113 + c114 + c115 + c116 + c117 + c118 + c119 + c120 + c121 + c122 + c123 + c124 + c125 + c126 + c127 + c128 + c129 + first) {
        if (crowded == NULL)
            crowded = PyUnicode_FromString("crowded");
    }
    return Py_XNewRef(crowded);
}

/* A dozen per-call locals: all followed, none process-wide. */
static PyObject *
get_per_call(PyObject *self, PyObject *arg)
{
    int b0 = PyObject_IsTrue(arg) + 0;
    int b1 = PyObject_IsTrue(arg) + 1;
    int b2 = PyObject_IsTrue(arg) + 2;
    int b3 = PyObject_IsTrue(arg) + 3;
    int b4 = PyObject_IsTrue(arg) + 4;
    int b5 = PyObject_IsTrue(arg) + 5;
    int b6 = PyObject_IsTrue(arg) + 6;
    int b7 = PyObject_IsTrue(arg) + 7;
    int b8 = PyObject_IsTrue(arg) + 8;
    int b9 = PyObject_IsTrue(arg) + 9;
    int b10 = PyObject_IsTrue(arg) + 10;
    int b11 = PyObject_IsTrue(arg) + 11;
    if (b0 + b1 + b2 + b3 + b4 + b5 + b6 + b7 + b8 + b9 + b10 + b11) {
        if (per_call == NULL)
            per_call = PyUnicode_FromString("per call");
    }
    return Py_XNewRef(per_call);
}

/* A parameter given a per-call local by each of 70 callers. */
static PyObject *
get_fanned_in(int strict)
{
    if (strict) {
        if (fanned_in == NULL)
            fanned_in = PyUnicode_FromString("fanned in");
    }
    return Py_XNewRef(fanned_in);
}

static PyObject *
caller0(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller1(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller2(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller3(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller4(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller5(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller6(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller7(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller8(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller9(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller10(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller11(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller12(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller13(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller14(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller15(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller16(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller17(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller18(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller19(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller20(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller21(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller22(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller23(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller24(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller25(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller26(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller27(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller28(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller29(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller30(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller31(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller32(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller33(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller34(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller35(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller36(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller37(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller38(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller39(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller40(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller41(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller42(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller43(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller44(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller45(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller46(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller47(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller48(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller49(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller50(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller51(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller52(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller53(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller54(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller55(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller56(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller57(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller58(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller59(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller60(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller61(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller62(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller63(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller64(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller65(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller66(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller67(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller68(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}

static PyObject *
caller69(PyObject *self, PyObject *arg)
{
    int s = PyObject_IsTrue(arg);
    return get_fanned_in(s);
}
