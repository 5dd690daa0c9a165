/* Globals of the extension, defined in another file of it: no static of
 * the unit is named here, so the analysis leaves this header out of the
 * unit unless it is asked what these names are. */
extern PyObject *tail;
extern PyObject *other;
extern PyObject *via_macro;
extern int fills;
