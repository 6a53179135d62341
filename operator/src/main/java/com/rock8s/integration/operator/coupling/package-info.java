/**
 * The coupling lifecycle: where a Plug becomes coupled to a Socket, is updated, decoupled and deleted.
 * {@link com.rock8s.integration.operator.coupling.PlugCoupler} is the state machine;
 * {@link com.rock8s.integration.operator.coupling.SideEffects} runs one lifecycle event on one side;
 * {@link com.rock8s.integration.operator.coupling.SocketStatusWriter} keeps each socket's list of coupled plugs.
 */
package com.rock8s.integration.operator.coupling;
