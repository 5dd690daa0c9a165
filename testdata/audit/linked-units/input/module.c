/* The module's init is here; its type, a registry and the call that
 * creates the module (single-phase) are in frames.c, linked by the names
 * common.h declares. */
#include "common.h"

PyMODINIT_FUNC
PyInit_frames(void) /*~ module frames single-phase pig=blocked ft=ok */
{
    PyObject *m = create_module();
    if (m != NULL && frames_init(m) < 0) {
        Py_CLEAR(m);
    }
    return m;
}
/*~ blocks frames OV502 Frame_Type pig */
/*~ blocks frames OV503 frame_registry pig */
/*~ blocks frames OV501 frames pig */
