/**
 * Validation of both sides' config and result against the socket's interface. The socket decides, both sides obey,
 * and the same rules apply to all four maps (plug config, socket config, plug result, socket result).
 */
package com.rock8s.integration.operator.interfaces;
