package io.rktlet.rkt;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One network attachment of a pod, as rkt's JSON prints it. */
public record RktNetwork(
    @JsonProperty("netName") String netName,
    @JsonProperty("netConf") String netConf,
    @JsonProperty("pluginPath") String pluginPath,
    @JsonProperty("ifName") String ifName,
    @JsonProperty("ip") String ip,
    @JsonProperty("args") String args,
    @JsonProperty("mask") String mask) {}
