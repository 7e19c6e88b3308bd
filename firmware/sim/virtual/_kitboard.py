PLATFORM = "linux"  # a virtual board runs kit on the kithal_sim hardware layer
