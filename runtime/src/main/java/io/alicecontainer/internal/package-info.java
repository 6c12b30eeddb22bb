/**
 * Internal: the native gateway (jnr-ffi), errno handling and small helpers shared by the runtime's
 * packages. Not API: anything here may change without notice.
 */
package io.alicecontainer.internal;
