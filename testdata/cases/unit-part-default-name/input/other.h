#ifdef KEY
/* given by the includer */
#else
#define KEY first_cache
#define KEY_GET get_first
#endif

static PyObject *KEY = NULL;   /*~ OV101 first_cache */ /*~ OV101 second_cache */

static PyObject *
KEY_GET(void)
{
    if (KEY == NULL)
        KEY = PyList_New(0);
    return KEY;
}
