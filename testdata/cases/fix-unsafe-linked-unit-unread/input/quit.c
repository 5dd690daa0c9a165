/* See mod.c: this unit keeps what reg_quit is given and what is stored in
 * quit_slots for its Py_AtExit hook, and its single-phase init calls
 * mod.c's fill_cache; but it defines `twin` 65 times (in `#ifdef` branches
 * a build leaves out), more than its call graph takes, so it is not
 * analysed: what it does with them is not known. */
#include <Python.h>
#include "quit.h"

void (*quit_slots[4])(void);
static void (*quitters[8])(void);
static int nquitters;

static void
run_quitters(void)
{
    int i;
    while (nquitters > 0)
        quitters[--nquitters]();
    for (i = 0; i < 4; i++)
        if (quit_slots[i] != NULL)
            quit_slots[i]();
}

int
reg_quit(void (*fn)(void))
{
    if (nquitters == 0 && Py_AtExit(run_quitters) < 0)
        return -1;
    quitters[nquitters++] = fn;
    return 0;
}

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "quit", NULL, -1, NULL};

PyMODINIT_FUNC
PyInit_quit(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m != NULL && fill_cache() == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

#ifdef ONCEVAR_TWIN_0
int twin(void) { return 0; }
#endif
#ifdef ONCEVAR_TWIN_1
int twin(void) { return 1; }
#endif
#ifdef ONCEVAR_TWIN_2
int twin(void) { return 2; }
#endif
#ifdef ONCEVAR_TWIN_3
int twin(void) { return 3; }
#endif
#ifdef ONCEVAR_TWIN_4
int twin(void) { return 4; }
#endif
#ifdef ONCEVAR_TWIN_5
int twin(void) { return 5; }
#endif
#ifdef ONCEVAR_TWIN_6
int twin(void) { return 6; }
#endif
#ifdef ONCEVAR_TWIN_7
int twin(void) { return 7; }
#endif
#ifdef ONCEVAR_TWIN_8
int twin(void) { return 8; }
#endif
#ifdef ONCEVAR_TWIN_9
int twin(void) { return 9; }
#endif
#ifdef ONCEVAR_TWIN_10
int twin(void) { return 10; }
#endif
#ifdef ONCEVAR_TWIN_11
int twin(void) { return 11; }
#endif
#ifdef ONCEVAR_TWIN_12
int twin(void) { return 12; }
#endif
#ifdef ONCEVAR_TWIN_13
int twin(void) { return 13; }
#endif
#ifdef ONCEVAR_TWIN_14
int twin(void) { return 14; }
#endif
#ifdef ONCEVAR_TWIN_15
int twin(void) { return 15; }
#endif
#ifdef ONCEVAR_TWIN_16
int twin(void) { return 16; }
#endif
#ifdef ONCEVAR_TWIN_17
int twin(void) { return 17; }
#endif
#ifdef ONCEVAR_TWIN_18
int twin(void) { return 18; }
#endif
#ifdef ONCEVAR_TWIN_19
int twin(void) { return 19; }
#endif
#ifdef ONCEVAR_TWIN_20
int twin(void) { return 20; }
#endif
#ifdef ONCEVAR_TWIN_21
int twin(void) { return 21; }
#endif
#ifdef ONCEVAR_TWIN_22
int twin(void) { return 22; }
#endif
#ifdef ONCEVAR_TWIN_23
int twin(void) { return 23; }
#endif
#ifdef ONCEVAR_TWIN_24
int twin(void) { return 24; }
#endif
#ifdef ONCEVAR_TWIN_25
int twin(void) { return 25; }
#endif
#ifdef ONCEVAR_TWIN_26
int twin(void) { return 26; }
#endif
#ifdef ONCEVAR_TWIN_27
int twin(void) { return 27; }
#endif
#ifdef ONCEVAR_TWIN_28
int twin(void) { return 28; }
#endif
#ifdef ONCEVAR_TWIN_29
int twin(void) { return 29; }
#endif
#ifdef ONCEVAR_TWIN_30
int twin(void) { return 30; }
#endif
#ifdef ONCEVAR_TWIN_31
int twin(void) { return 31; }
#endif
#ifdef ONCEVAR_TWIN_32
int twin(void) { return 32; }
#endif
#ifdef ONCEVAR_TWIN_33
int twin(void) { return 33; }
#endif
#ifdef ONCEVAR_TWIN_34
int twin(void) { return 34; }
#endif
#ifdef ONCEVAR_TWIN_35
int twin(void) { return 35; }
#endif
#ifdef ONCEVAR_TWIN_36
int twin(void) { return 36; }
#endif
#ifdef ONCEVAR_TWIN_37
int twin(void) { return 37; }
#endif
#ifdef ONCEVAR_TWIN_38
int twin(void) { return 38; }
#endif
#ifdef ONCEVAR_TWIN_39
int twin(void) { return 39; }
#endif
#ifdef ONCEVAR_TWIN_40
int twin(void) { return 40; }
#endif
#ifdef ONCEVAR_TWIN_41
int twin(void) { return 41; }
#endif
#ifdef ONCEVAR_TWIN_42
int twin(void) { return 42; }
#endif
#ifdef ONCEVAR_TWIN_43
int twin(void) { return 43; }
#endif
#ifdef ONCEVAR_TWIN_44
int twin(void) { return 44; }
#endif
#ifdef ONCEVAR_TWIN_45
int twin(void) { return 45; }
#endif
#ifdef ONCEVAR_TWIN_46
int twin(void) { return 46; }
#endif
#ifdef ONCEVAR_TWIN_47
int twin(void) { return 47; }
#endif
#ifdef ONCEVAR_TWIN_48
int twin(void) { return 48; }
#endif
#ifdef ONCEVAR_TWIN_49
int twin(void) { return 49; }
#endif
#ifdef ONCEVAR_TWIN_50
int twin(void) { return 50; }
#endif
#ifdef ONCEVAR_TWIN_51
int twin(void) { return 51; }
#endif
#ifdef ONCEVAR_TWIN_52
int twin(void) { return 52; }
#endif
#ifdef ONCEVAR_TWIN_53
int twin(void) { return 53; }
#endif
#ifdef ONCEVAR_TWIN_54
int twin(void) { return 54; }
#endif
#ifdef ONCEVAR_TWIN_55
int twin(void) { return 55; }
#endif
#ifdef ONCEVAR_TWIN_56
int twin(void) { return 56; }
#endif
#ifdef ONCEVAR_TWIN_57
int twin(void) { return 57; }
#endif
#ifdef ONCEVAR_TWIN_58
int twin(void) { return 58; }
#endif
#ifdef ONCEVAR_TWIN_59
int twin(void) { return 59; }
#endif
#ifdef ONCEVAR_TWIN_60
int twin(void) { return 60; }
#endif
#ifdef ONCEVAR_TWIN_61
int twin(void) { return 61; }
#endif
#ifdef ONCEVAR_TWIN_62
int twin(void) { return 62; }
#endif
#ifdef ONCEVAR_TWIN_63
int twin(void) { return 63; }
#endif
#ifdef ONCEVAR_TWIN_64
int twin(void) { return 64; }
#endif
