#ifndef HASHING_STORE_H
#define HASHING_STORE_H

/* Stores a new reference into a slot. */
#define STORE_NEW(slot, value) do { slot = (value); } while (0)

#endif
