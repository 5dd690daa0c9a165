/* The name-making macros, in a header of their own. */
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
